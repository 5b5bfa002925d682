package org.mafstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files and bad requests: always a CheckpointException naming the file, and the key where there is one. */
class TorchCheckpointErrorsTest {
    @TempDir
    Path dir;

    private Path smallCheckpoint() throws IOException {
        return new TorchZipWriter("archive")
                .floatStorage("0", 1, 2, 3, 4, 5, 6)
                .longStorage("1", 7)
                .contiguous("w", "0", 0, 2, 3)
                .contiguous("count", "1", 0)
                .write(dir.resolve("small.bin"));
    }

    private static AbstractThrowableAssert<?, ?> assertFails(Path file, ThrowingCall call) {
        return assertThatThrownBy(call::run)
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString())
                .satisfies(e -> assertThat(((CheckpointException) e).file()).isEqualTo(file));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void missingKey() throws IOException {
        Path file = smallCheckpoint();
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertFails(file, () -> ckpt.info("nope")).hasMessageContaining("'nope'").hasMessageContaining("no such key");
            assertFails(file, () -> ckpt.readFloats("nope")).hasMessageContaining("'nope'");
            assertFails(file, () -> ckpt.readFloats("nope", 2, 3)).hasMessageContaining("'nope'")
                    .satisfies(e -> assertThat(((CheckpointException) e).key()).contains("nope"));
        }
    }

    @Test
    void wrongExpectedShape() throws IOException {
        Path file = smallCheckpoint();
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertFails(file, () -> ckpt.readFloats("w", 3, 2))
                    .hasMessageContaining("'w'")
                    .hasMessageContaining("expected shape [3, 2]")
                    .hasMessageContaining("[2, 3]");
            assertFails(file, () -> ckpt.readFloats("w", 6)).hasMessageContaining("[6]");
        }
    }

    @Test
    void unsupportedDtype() throws IOException {
        Path file = smallCheckpoint();
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertFails(file, () -> ckpt.readFloats("count"))
                    .hasMessageContaining("'count'")
                    .hasMessageContaining("int64");
        }
    }

    @Test
    void legacyFileCutInsideItsMagicNumberIsTruncatedNotRefused() throws IOException {
        // what torch < 1.6 wrote first: protocol 2, then the LONG1 magic number 0x1950a86a20f9469cfc6c,
        // here cut after 5 of its 10 bytes. The legacy format is read (LegacyCheckpointTest); this
        // file is only too short.
        Path file = Files.write(dir.resolve("legacy.bin"),
                new byte[] {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9});
        assertFails(file, () -> TorchCheckpoint.open(file))
                .hasMessageContaining("truncated file")
                .hasMessageContaining("inside the magic number")
                .hasMessageNotContaining("re-save");
    }

    @Test
    void fixtureCutInHalf() throws IOException {
        byte[] whole = Files.readAllBytes(TinyFixture.mafTiny("pytorch_encoder.bin"));
        Path file = Files.write(dir.resolve("half.bin"), Arrays.copyOf(whole, whole.length / 2));
        assertFails(file, () -> TorchCheckpoint.open(file)).hasMessageContaining("truncated or corrupt zip");
    }

    @Test
    void storageEntryShorterThanTheTensorNeeds() throws IOException {
        byte[] twoFloats = new byte[8];
        Path file = new TorchZipWriter("archive")
                .storage("0", "FloatStorage", 6, twoFloats) // promises 6 elements, holds 2
                .contiguous("w", "0", 0, 2, 3)
                .write(dir.resolve("short.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.info("w").numel()).isEqualTo(6); // info needs no storage bytes
            assertFails(file, () -> ckpt.readFloats("w"))
                    .hasMessageContaining("'w'")
                    .hasMessageContaining("archive/data/0 is too short")
                    .hasMessageContaining("8 bytes")
                    .hasMessageContaining("needs 24");
        }
    }

    @Test
    void offsetPastTheEndOfTheStorage() throws IOException {
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", 1, 2, 3)
                .contiguous("w", "0", 2, 2)
                .write(dir.resolve("offset.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertFails(file, () -> ckpt.readFloats("w")).hasMessageContaining("'w'").hasMessageContaining("too short");
        }
    }

    @Test
    void tensorLargerThanAJavaArray() throws IOException {
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", 1)
                .contiguous("huge", "0", 0, 70_000, 70_000)
                .write(dir.resolve("huge.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.info("huge").numel()).isEqualTo(4_900_000_000L);
            assertFails(file, () -> ckpt.readFloats("huge")).hasMessageContaining("'huge'")
                    .hasMessageContaining("more than a Java array holds");
        }
    }

    @Test
    void missingStorageEntry() throws IOException {
        Path file = new TorchZipWriter("archive").floatStorage("0", 1).contiguous("w", "0", 0).write(dir.resolve("a.bin"));
        byte[] pickle = new TorchZipWriter("archive").floatStorage("9", 1).contiguous("w", "9", 0).pickle();
        Path broken = new TorchZipWriter("archive").floatStorage("0", 1).dataPkl(pickle).write(dir.resolve("b.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(broken)) {
            assertFails(broken, () -> ckpt.readFloats("w")).hasMessageContaining("archive/data/9 is missing");
        }
        try (TorchCheckpoint ok = TorchCheckpoint.open(file)) {
            assertThat(ok.readFloats("w")).containsExactly(1f);
        }
    }

    @Test
    void corruptLocalHeaderOfAStorageEntry() throws IOException {
        Path file = smallCheckpoint();
        byte[] bytes = Files.readAllBytes(file);
        // the second local header ("PK\3\4") is the one of archive/data/0: break its signature
        int second = indexOf(bytes, new byte[] {'P', 'K', 3, 4}, indexOf(bytes, new byte[] {'P', 'K', 3, 4}, 0) + 1);
        bytes[second + 2] = 9;
        Path broken = Files.write(dir.resolve("badloc.bin"), bytes);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(broken)) {
            assertFails(broken, () -> ckpt.readFloats("w")).hasMessageContaining("'w'").hasMessageContaining("corrupt");
        }
    }

    @Test
    void pickleThatIsNotADict() throws IOException {
        byte[] list = new PickleWriter().proto2().op(PickleWriter.EMPTY_LIST).stop();
        Path file = new TorchZipWriter("archive").dataPkl(list).write(dir.resolve("list.bin"));
        assertFails(file, () -> TorchCheckpoint.open(file)).hasMessageContaining("not a state_dict");
    }

    @Test
    void dictWhoseValueIsNotATensor() throws IOException {
        byte[] pickle = new PickleWriter().proto2().op(PickleWriter.EMPTY_DICT)
                .string("epoch").integer(3).op(PickleWriter.SETITEM).stop();
        Path file = new TorchZipWriter("archive").dataPkl(pickle).write(dir.resolve("epoch.bin"));
        assertFails(file, () -> TorchCheckpoint.open(file))
                .hasMessageContaining("'epoch'")
                .hasMessageContaining("not a dict of tensors");
    }

    @Test
    void unpicklableDataPkl() throws IOException {
        Path file = new TorchZipWriter("archive").dataPkl(new byte[] {(byte) 0x80, 2, (byte) 0xff}).write(dir.resolve("bad.bin"));
        assertFails(file, () -> TorchCheckpoint.open(file)).hasMessageContaining("cannot unpickle archive/data.pkl");
    }

    @Test
    void zipWithoutDataPkl() throws IOException {
        Path file = dir.resolve("other.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hi".getBytes(StandardCharsets.US_ASCII));
        }
        assertFails(file, () -> TorchCheckpoint.open(file)).hasMessageContaining("no <stem>/data.pkl");
    }

    @Test
    void bigEndianStoragesAreRefused() throws IOException {
        Path file = new TorchZipWriter("archive").floatStorage("0", 1).contiguous("w", "0", 0)
                .entry("byteorder", "big".getBytes(StandardCharsets.US_ASCII)).write(dir.resolve("be.bin"));
        assertFails(file, () -> TorchCheckpoint.open(file)).hasMessageContaining("little-endian");
    }

    @Test
    void missingEmptyAndForeignFiles() throws IOException {
        Path missing = dir.resolve("missing.bin");
        assertFails(missing, () -> TorchCheckpoint.open(missing)).hasMessageContaining("no such file");
        Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        assertFails(empty, () -> TorchCheckpoint.open(empty)).hasMessageContaining("empty file");
        Path text = Files.writeString(dir.resolve("text.bin"), "hello");
        assertFails(text, () -> TorchCheckpoint.open(text)).hasMessageContaining("not a PyTorch checkpoint")
                .hasMessageContaining("neither with 'PK'");
    }

    @Test
    void readingAfterCloseIsAProgrammingError() throws IOException {
        Path file = smallCheckpoint();
        TorchCheckpoint ckpt = TorchCheckpoint.open(file);
        ckpt.close();
        assertThat(ckpt.info("w").numel()).isEqualTo(6);
        assertThatThrownBy(() -> ckpt.readFloats("w")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString());
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
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
