package org.mafstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The legacy (torch &lt; 1.6) format through the same {@link TorchCheckpoint} API as the zip one:
 * files written by {@link TorchLegacyWriter} read exactly as the zip file of the same state_dict.
 */
class LegacyCheckpointTest {
    @TempDir
    Path dir;

    private static float[] values(int n, float from, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + i * step;
        }
        return v;
    }

    /**
     * A small ResNet-like state_dict with torchvision's key names: storage keys whose sorted order
     * is not the tensor order, one storage shared by four tensors at offsets, a transposed view, a
     * 0-d int64 num_batches_tracked, and float64 / float16 tensors.
     */
    static <W extends StateDictWriter<W>> W resnetLike(W w) {
        return w.floatStorage("94310912", values(54, -1.5f, 0.0625f))
                .floatStorage("140", 1.0f, 0.5f, 0.25f, -0.25f, 0.125f, -0.125f, 2.0f, 3.0f)
                .longStorage("7", 1234)
                .floatStorage("1398", 0.1f, 0.2f, 0.3f, 0.4f)
                .floatStorage("2", values(6, 0, 1))
                .floatStorage("33", -1f, 0f, 1f)
                .doubleStorage("8", 0.1, 0.2)
                .halfStorage("9", (short) 0x3c00, (short) 0xc000)
                .contiguous("conv1.weight", "94310912", 0, 2, 3, 3, 3)
                .contiguous("bn1.weight", "140", 0, 2)
                .contiguous("bn1.bias", "140", 2, 2)
                .contiguous("bn1.running_mean", "140", 4, 2)
                .contiguous("bn1.running_var", "140", 6, 2)
                .contiguous("bn1.num_batches_tracked", "7", 0)
                .contiguous("layer1.0.conv1.weight", "1398", 0, 2, 2, 1, 1)
                .tensor("fc.weight", "2", 0, new long[] {3, 2}, new long[] {1, 3})
                .contiguous("fc.bias", "33", 0, 3)
                .contiguous("extra.float64", "8", 0, 2)
                .contiguous("extra.float16", "9", 0, 2);
    }

    /** Same keys in the same order, equal infos, bit-equal values, the same refusals. */
    private static void assertReadIdentically(Path zipFile, Path legacyFile) throws IOException {
        try (TorchCheckpoint zip = TorchCheckpoint.open(zipFile); TorchCheckpoint legacy = TorchCheckpoint.open(legacyFile)) {
            assertThat(legacy.keys()).containsExactlyElementsOf(zip.keys());
            for (String key : zip.keys()) {
                TensorInfo info = zip.info(key);
                assertThat(legacy.info(key)).as(key).isEqualTo(info);
                if (info.dtype().equals("float32")) {
                    // isEqualTo compares float arrays bit for bit (Arrays.equals), and fast for large ones
                    assertThat(legacy.readFloats(key, info.shape())).as(key).isEqualTo(zip.readFloats(key));
                } else {
                    String zipMessage = catchThrowableOfType(() -> zip.readFloats(key), CheckpointException.class).getMessage();
                    String legacyMessage = catchThrowableOfType(() -> legacy.readFloats(key), CheckpointException.class).getMessage();
                    assertThat(legacyMessage.replace(legacyFile.toString(), "<file>"))
                            .isEqualTo(zipMessage.replace(zipFile.toString(), "<file>"));
                }
            }
        }
    }

    @Test
    void readsTheSameTensorsAsTheZipFileOfTheSameStateDict() throws IOException {
        Path zip = resnetLike(new TorchZipWriter("archive")).write(dir.resolve("resnet.zip.pth"));
        Path legacy = resnetLike(new TorchLegacyWriter()).write(dir.resolve("resnet.legacy.pth"));
        assertReadIdentically(zip, legacy);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(legacy)) {
            assertThat(ckpt.keys()).containsExactly("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                    "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight", "fc.weight", "fc.bias",
                    "extra.float64", "extra.float16");
            assertThat(ckpt.readFloats("conv1.weight", 2, 3, 3, 3)).containsExactly(values(54, -1.5f, 0.0625f));
            assertThat(ckpt.readFloats("bn1.bias", 2)).containsExactly(0.25f, -0.25f);
            assertThat(ckpt.readFloats("bn1.running_var", 2)).containsExactly(2.0f, 3.0f);
            assertThat(ckpt.readFloats("fc.weight", 3, 2)).containsExactly(0, 3, 1, 4, 2, 5);
            assertThat(ckpt.info("bn1.running_mean").storageOffset()).isEqualTo(4);
            assertThat(ckpt.info("bn1.running_mean").storageKey()).isEqualTo(ckpt.info("bn1.weight").storageKey());
        }
    }

    @Test
    void numBatchesTrackedIsA0dInt64TensorThatReadFloatsRefuses() throws IOException {
        Path file = resnetLike(new TorchLegacyWriter()).write(dir.resolve("bn.pth"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            TensorInfo info = ckpt.info("bn1.num_batches_tracked");
            assertThat(info.dtype()).isEqualTo("int64");
            assertThat(info.shape()).isEmpty();
            assertThat(info.numel()).isEqualTo(1);
            assertThatThrownBy(() -> ckpt.readFloats("bn1.num_batches_tracked"))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'bn1.num_batches_tracked'")
                    .hasMessageContaining("int64");
            assertThat(ckpt.info("extra.float64").dtype()).isEqualTo("float64");
            assertThat(ckpt.info("extra.float16").dtype()).isEqualTo("float16");
            for (String key : List.of("extra.float64", "extra.float16")) {
                assertThatThrownBy(() -> ckpt.readFloats(key)).isInstanceOf(CheckpointException.class)
                        .hasMessageContaining("only float32");
            }
        }
    }

    @Test
    void python2PicklesAndTorch03RebuildTensorReadTheSame() throws IOException {
        // torchvision's 2017 ImageNet files come from this era: Python 2 str keys, OrderedDict
        // pickled from a list of [key, value] lists, torch._utils._rebuild_tensor with 4 arguments
        Path zip = resnetLike(new TorchZipWriter("archive")).write(dir.resolve("new.pth"));
        Path old = resnetLike(new TorchLegacyWriter()).python2().oldRebuild().write(dir.resolve("old.pth"));
        Path oldPy3 = resnetLike(new TorchLegacyWriter()).oldRebuild().write(dir.resolve("old3.pth"));
        Path py2 = resnetLike(new TorchLegacyWriter()).python2().write(dir.resolve("py2.pth"));
        assertThat(Files.readAllBytes(old)).as("the writer used SHORT_BINSTRING").contains((byte) 'U');
        assertReadIdentically(zip, old);
        assertReadIdentically(zip, oldPy3);
        assertReadIdentically(zip, py2);
    }

    @Test
    void torch01TensorsBuiltBySetstateReadTheSame() throws IOException {
        // torch < 0.2 pickled a tensor as torch.FloatTensor() plus BUILD (storage, offset, size, stride);
        // torchvision's first model-zoo files (early 2017) may be of this kind
        Path zip = resnetLike(new TorchZipWriter("archive")).write(dir.resolve("new.pth"));
        Path py2 = resnetLike(new TorchLegacyWriter()).python2().setstateTensors().write(dir.resolve("v1.pth"));
        Path py3 = resnetLike(new TorchLegacyWriter()).setstateTensors().write(dir.resolve("v1py3.pth"));
        Path cuda = resnetLike(new TorchLegacyWriter()).python2().setstateTensors().location("cuda:0")
                .write(dir.resolve("v1cuda.pth"));
        assertThat(new String(Files.readAllBytes(py2), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("torch\nFloatTensor\n".translateEscapes()).contains("torch\nLongTensor\n".translateEscapes())
                .doesNotContain("_rebuild_tensor");
        assertThat(new String(Files.readAllBytes(cuda), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("torch.cuda\nFloatTensor\n".translateEscapes());
        assertReadIdentically(zip, py2);
        assertReadIdentically(zip, py3);
        assertReadIdentically(zip, cuda);
    }

    @Test
    void theMafFixtureEncoderRewrittenInTheLegacyFormatReadsTheSame() throws IOException {
        // the real torch 1.13 zip of the fixture's ResNet encoder (122 tensors, resnet.conv1.weight ...
        // resnet.fc.bias), copied tensor by tensor into a legacy file with the same storage keys
        Path zip = TinyFixture.mafTiny("pytorch_encoder.bin");
        TorchLegacyWriter writer = new TorchLegacyWriter();
        try (TorchCheckpoint source = TorchCheckpoint.open(zip)) {
            for (String key : source.keys()) {
                TensorInfo info = source.info(key);
                assertThat(info.isContiguous() && info.storageOffset() == 0).as(key).isTrue();
                if (info.dtype().equals("float32")) {
                    writer.floatStorage(info.storageKey(), source.readFloats(key));
                } else {
                    assertThat(info.dtype()).as(key).isEqualTo("int64");
                    writer.storage(info.storageKey(), "LongStorage", info.numel(), new byte[(int) info.numel() * 8]);
                }
                writer.contiguous(key, info.storageKey(), 0, info.shape());
            }
        }
        Path legacy = writer.write(dir.resolve("pytorch_encoder.legacy.bin"));
        assertReadIdentically(zip, legacy);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(legacy)) {
            assertThat(ckpt.keys()).hasSize(122).startsWith("resnet.conv1.weight").endsWith("resnet.fc.bias");
            assertThat(ckpt.readFloats("resnet.conv1.weight", 64, 3, 7, 7)[0]).isEqualTo(0.01652621477842331f);
        }
    }

    @Test
    void plainDictRootKeepsOrder() throws IOException {
        Path file = new TorchLegacyWriter().floatStorage("0", 1f, 2f)
                .contiguous("zeta", "0", 0).contiguous("alpha", "0", 1).plainDict().write(dir.resolve("plain.pth"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.keys()).containsExactly("zeta", "alpha");
            assertThat(ckpt.readFloats("alpha")).containsExactly(2f);
        }
    }

    @Test
    void dataSectionFollowsTheStorageKeyListNotSortedOrder() throws IOException {
        // the writer lays the data out in the order of the list; torch sorts it, readers must not assume so
        Path file = new TorchLegacyWriter().floatStorage("a", 1f, 2f).floatStorage("b", 3f).floatStorage("c", 4f, 5f, 6f)
                .contiguous("x", "a", 0, 2).contiguous("y", "b", 0, 1).contiguous("z", "c", 0, 3)
                .storageKeys("c", "a", "b").write(dir.resolve("order.pth"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.readFloats("x")).containsExactly(1f, 2f);
            assertThat(ckpt.readFloats("y")).containsExactly(3f);
            assertThat(ckpt.readFloats("z")).containsExactly(4f, 5f, 6f);
        }
    }

    @Test
    void tensorsOnAStorageViewCountTheirOffsetFromTheView() throws IOException {
        // root storage "r" = 0..9; view "v" = elements 4..9 of it; tensor "w" = v[1:4] = r[5:8]
        Path file = new TorchLegacyWriter().floatStorage("r", values(10, 0, 1))
                .view("v", "r", 4, 6)
                .contiguous("w", "v", 1, 3)
                .contiguous("whole", "r", 0, 10)
                .write(dir.resolve("view.pth"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.info("w")).isEqualTo(new TensorInfo("w", "float32", new long[] {3}, new long[] {1}, 5, "r"));
            assertThat(ckpt.readFloats("w", 3)).containsExactly(5, 6, 7);
            assertThat(ckpt.readFloats("whole", 10)).containsExactly(values(10, 0, 1));
        }
    }

    @Test
    void gpuLocationsReadLikeCpuOnes() throws IOException {
        Path zip = resnetLike(new TorchZipWriter("archive")).write(dir.resolve("cpu.pth"));
        Path cuda = resnetLike(new TorchLegacyWriter()).location("cuda:0").write(dir.resolve("cuda.pth"));
        assertReadIdentically(zip, cuda);
    }

    @Test
    void theWriterFollowsTheFormatDescription() throws IOException {
        // Independent of the reader: pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2) and of 1001
        byte[] bytes = resnetLike(new TorchLegacyWriter()).bytes();
        assertThat(HexFormat.of().formatHex(Arrays.copyOf(bytes, 21)))
                .isEqualTo("80028a0a6cfc9c46f9206aa850192e" + "8002" + "4de9032e");
        // the last storage in sorted key order is "94310912": 54 float32 after its int64 count
        ByteBuffer tail = ByteBuffer.wrap(bytes, bytes.length - 54 * 4 - 8, 12).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(tail.getLong()).isEqualTo(54);
        assertThat(tail.getFloat()).isEqualTo(-1.5f);
    }

    @Test
    void valuesAreReadWhenAskedForNotAtOpen() throws IOException {
        Path file = new TorchLegacyWriter().floatStorage("0", 1f, 2f, 3f).contiguous("w", "0", 0, 3).write(dir.resolve("lazy.pth"));
        long size = Files.size(file);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            // overwrite the storage's 12 data bytes in place, after open: a reader that had read them
            // at open (or held the file in memory) would still return 1, 2, 3
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(7f).putFloat(8f).putFloat(9f);
                ch.write(b.flip(), size - 12);
            }
            assertThat(ckpt.readFloats("w")).containsExactly(7f, 8f, 9f);
        }
    }

    @Test
    void concurrentReadsAgree() throws Exception {
        Path file = resnetLike(new TorchLegacyWriter()).write(dir.resolve("concurrent.pth"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            float[] expected = ckpt.readFloats("conv1.weight");
            List<Future<float[]>> reads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String key = i % 2 == 0 ? "conv1.weight" : "fc.weight";
                reads.add(pool.submit(() -> ckpt.readFloats(key)));
            }
            for (int i = 0; i < reads.size(); i++) {
                assertThat(reads.get(i).get()).containsExactly(i % 2 == 0 ? expected : new float[] {0, 3, 1, 4, 2, 5});
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrappedStateDictIsRefusedAsInTheZipFormat() throws IOException {
        // {'state_dict': state_dict}: the zip path refuses it (a value that is not a tensor), so does the legacy one
        Path zip = resnetLike(new TorchZipWriter("archive")).wrappedIn("state_dict").write(dir.resolve("wrapped.zip.pth"));
        Path legacy = resnetLike(new TorchLegacyWriter()).wrappedIn("state_dict").write(dir.resolve("wrapped.legacy.pth"));
        for (Path file : List.of(zip, legacy)) {
            assertThatThrownBy(() -> TorchCheckpoint.open(file))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith(file.toString())
                    .hasMessageContaining("'state_dict'")
                    .hasMessageContaining("not a dict of tensors");
        }
    }

    @Test
    void readingAfterCloseIsAProgrammingError() throws IOException {
        Path file = resnetLike(new TorchLegacyWriter()).write(dir.resolve("closed.pth"));
        TorchCheckpoint ckpt = TorchCheckpoint.open(file);
        ckpt.close();
        assertThat(ckpt.info("fc.bias").numel()).isEqualTo(3);
        assertThatThrownBy(() -> ckpt.readFloats("fc.bias")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString());
    }
}
