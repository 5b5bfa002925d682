package org.mafstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken legacy files: always a CheckpointException at open, naming the file and what is wrong. */
class LegacyCheckpointErrorsTest {
    @TempDir
    Path dir;

    /** Two storages, the float one last in the data section. */
    private static TorchLegacyWriter small() {
        return new TorchLegacyWriter()
                .floatStorage("1", 1, 2, 3, 4, 5, 6)
                .longStorage("0", 7)
                .contiguous("w", "1", 0, 2, 3)
                .contiguous("count", "0", 0);
    }

    private static AbstractThrowableAssert<?, ?> assertOpenFails(Path file) {
        return assertThatThrownBy(() -> TorchCheckpoint.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString())
                .satisfies(e -> assertThat(((CheckpointException) e).file()).isEqualTo(file));
    }

    @Test
    void theUnbrokenFileOpens() throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(small().write(dir.resolve("ok.pth")))) {
            assertThat(ckpt.readFloats("w", 2, 3)).containsExactly(1, 2, 3, 4, 5, 6);
        }
    }

    @Test
    void cutAtAnyByteIsATruncatedFile() throws IOException {
        // every prefix: inside each of the five pickles, inside an element count, inside the data
        byte[] whole = small().bytes();
        for (int length = 1; length < whole.length; length++) {
            Path file = Files.write(dir.resolve("cut" + length + ".pth"), Arrays.copyOf(whole, length));
            assertOpenFails(file).as("cut to %d of %d bytes", length, whole.length).hasMessageContaining("truncated file");
        }
    }

    @Test
    void cutInsideTheLastStoragesDataSaysWhichStorageAndHowMuch() throws IOException {
        byte[] whole = small().bytes();
        Path file = Files.write(dir.resolve("cut.pth"), Arrays.copyOf(whole, whole.length - 4));
        assertOpenFails(file)
                .hasMessageContaining("truncated file")
                .hasMessageContaining("ends at byte " + (whole.length - 4))
                .hasMessageContaining("storage '1'")
                .hasMessageContaining("needs 24 bytes");
    }

    @Test
    void elementCountDisagreeingWithThePersistentId() throws IOException {
        Path file = small().elementCount("0", 2).write(dir.resolve("count.pth"));
        assertOpenFails(file)
                .hasMessageContaining("storage '0'")
                .hasMessageContaining("holds 2 elements")
                .hasMessageContaining("persistent id says 1");
    }

    @Test
    void storageDataShorterThanThePersistentIdPromises() throws IOException {
        // the pid says 6 float32, the data section 2 (with their 8 bytes): caught at open
        Path file = new TorchLegacyWriter().storage("0", "FloatStorage", 6, new byte[8])
                .contiguous("w", "0", 0, 2, 3).write(dir.resolve("short.pth"));
        assertOpenFails(file).hasMessageContaining("storage '0' holds 2 elements").hasMessageContaining("says 6");
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path file = small().magicNumber(new BigInteger("1950a86a20f9469cfc6d", 16)).write(dir.resolve("magic.pth"));
        assertOpenFails(file)
                .hasMessageContaining("wrong magic number")
                .hasMessageContaining("0x1950a86a20f9469cfc6c");
    }

    @Test
    void aPlainPickleIsNotALegacyCheckpoint() throws IOException {
        // e.g. pickle.dump({'epoch': 3}, f, protocol=2): starts with a pickle, has no magic number
        byte[] dict = new PickleWriter().proto2().op(PickleWriter.EMPTY_DICT)
                .string("epoch").integer(3).op(PickleWriter.SETITEM).stop();
        Path file = Files.write(dir.resolve("plain.pkl"), dict);
        assertOpenFails(file).hasMessageContaining("wrong magic number").hasMessageContaining("epoch");
    }

    @Test
    void unsupportedProtocolVersion() throws IOException {
        Path file = small().protocolVersion(1000).write(dir.resolve("version.pth"));
        assertOpenFails(file).hasMessageContaining("unsupported legacy protocol version").hasMessageContaining("1000");
    }

    @Test
    void bigEndianStoragesAreRefused() throws IOException {
        Path file = small().bigEndian().write(dir.resolve("be.pth"));
        assertOpenFails(file).hasMessageContaining("big-endian").hasMessageContaining("little-endian");
    }

    @Test
    void storageKeyListedTwice() throws IOException {
        Path file = small().storageKeys("0", "1", "0").write(dir.resolve("twice.pth"));
        assertOpenFails(file).hasMessageContaining("storage key '0' is listed twice");
    }

    @Test
    void storageKeyMissingFromTheList() throws IOException {
        Path file = small().storageKeys("0").write(dir.resolve("missing.pth"));
        assertOpenFails(file)
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("storage '1' is missing from the list of storage keys")
                .satisfies(e -> assertThat(((CheckpointException) e).key()).contains("w"));
    }

    @Test
    void storageKeyThatNoTensorUses() throws IOException {
        Path file = small().floatStorage("2", 9f).write(dir.resolve("unused.pth"));
        assertOpenFails(file).hasMessageContaining("names '2', which no tensor uses");
    }

    @Test
    void storageListThatIsNotAList() throws IOException {
        // the fifth pickle holds the tuple ('0', '1') instead of the list ['0', '1']
        byte[] good = small().bytes();
        byte[] list = new PickleWriter().proto2().op(PickleWriter.EMPTY_LIST).op(PickleWriter.MARK)
                .string("0").string("1").op(PickleWriter.APPENDS).stop();
        byte[] tuple = new PickleWriter().proto2().op(PickleWriter.MARK).string("0").string("1")
                .op(PickleWriter.TUPLE).stop();
        int at = indexOf(good, list);
        byte[] bad = new byte[good.length - list.length + tuple.length];
        System.arraycopy(good, 0, bad, 0, at);
        System.arraycopy(tuple, 0, bad, at, tuple.length);
        System.arraycopy(good, at + list.length, bad, at + tuple.length, good.length - at - list.length);
        Path file = Files.write(dir.resolve("keys.pth"), bad);
        assertOpenFails(file).hasMessageContaining("holds tuple").hasMessageContaining("not the list of storage keys");
    }

    @Test
    void unknownStorageClassCannotBeSkipped() throws IOException {
        Path file = new TorchLegacyWriter().storage("0", "FancyStorage", 1, new byte[8]).contiguous("odd", "0", 0)
                .write(dir.resolve("fancy.pth"));
        assertOpenFails(file).hasMessageContaining("unknown(torch.FancyStorage)").hasMessageContaining("element size");
    }

    @Test
    void oneStorageNamedWithTwoSizes() throws IOException {
        // tensors "a" and "b" both name storage "0"; make the first persistent id say 6 elements, the second 3
        byte[] bytes = new TorchLegacyWriter().floatStorage("0", 1, 2, 3).contiguous("a", "0", 0, 3)
                .contiguous("b", "0", 0, 3).bytes();
        byte[] pidOf3 = new PickleWriter().string("0").string("cpu").integer(3).stop();
        byte[] pidOf6 = new PickleWriter().string("0").string("cpu").integer(6).stop();
        int at = indexOf(bytes, Arrays.copyOf(pidOf3, pidOf3.length - 1));
        System.arraycopy(pidOf6, 0, bytes, at, pidOf6.length - 1);
        Path file = Files.write(dir.resolve("sizes.pth"), bytes);
        assertOpenFails(file).hasMessageContaining("storage '0' is named both as 6 float32 and as 3 float32");
    }

    @Test
    void tensorReachingPastItsStorageView() throws IOException {
        Path file = new TorchLegacyWriter().floatStorage("r", 0, 1, 2, 3, 4, 5)
                .view("v", "r", 2, 2).contiguous("w", "v", 1, 2).write(dir.resolve("view.pth"));
        assertOpenFails(file).hasMessageContaining("tensor 'w'").hasMessageContaining("past the end of its storage view v");
    }

    @Test
    void torch01TensorWithoutItsBuildState() throws IOException {
        // {'w': torch.FloatTensor()}: the REDUCE of the old form without the BUILD that gives it a storage
        byte[] object = new PickleWriter().proto2().op(PickleWriter.EMPTY_DICT).string("w")
                .global("torch", "FloatTensor").op(PickleWriter.EMPTY_TUPLE).op(PickleWriter.REDUCE)
                .op(PickleWriter.SETITEM).stop();
        Path file = small().objectPickle(object).write(dir.resolve("nostate.pth"));
        assertOpenFails(file).hasMessageContaining("tensor 'w'").hasMessageContaining("torch.FloatTensor() was never given its state");
    }

    @Test
    void aWholeModelIsNotAStateDict() throws IOException {
        // torch.save(model) pickles module classes with ('module', ...) persistent ids
        byte[] object = new PickleWriter().proto2().op(PickleWriter.MARK).string("module").string("ResNet")
                .string("resnet.py").string("class ResNet: ...").op(PickleWriter.TUPLE).op(PickleWriter.BINPERSID).stop();
        Path file = small().objectPickle(object).write(dir.resolve("model.pth"));
        assertOpenFails(file).hasMessageContaining("cannot unpickle the pickled state_dict")
                .hasMessageContaining("unsupported persistent id");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
