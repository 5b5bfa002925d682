package org.mafstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader against files written by {@link TorchZipWriter}, with values known exactly. */
class TorchCheckpointKnownValuesTest {
    @TempDir
    Path dir;

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void contiguousTensorHonoursItsStorageOffset() throws IOException {
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", iota(10))
                .contiguous("w", "0", 3, 2, 3)
                .write(dir.resolve("offset.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.info("w")).isEqualTo(new TensorInfo("w", "float32", new long[] {2, 3}, new long[] {3, 1}, 3, "0"));
            assertThat(ckpt.readFloats("w", 2, 3)).containsExactly(3, 4, 5, 6, 7, 8);
        }
    }

    @Test
    void transposedViewIsCopiedRowMajor() throws IOException {
        // storage holds a 2x3 matrix [[0,1,2],[3,4,5]]; the tensor is its 3x2 transpose
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", iota(6))
                .tensor("t", "0", 0, new long[] {3, 2}, new long[] {1, 3})
                .write(dir.resolve("transposed.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.info("t").isContiguous()).isFalse();
            assertThat(ckpt.readFloats("t", 3, 2)).containsExactly(0, 3, 1, 4, 2, 5);
        }
    }

    @Test
    void stridedSliceWithOffsetReadsOnlyItsElements() throws IOException {
        // 4x4 storage; the tensor is columns 1 and 3, i.e. x[:, 1::2]
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", iota(16))
                .tensor("cols", "0", 1, new long[] {4, 2}, new long[] {4, 2})
                .write(dir.resolve("slice.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.readFloats("cols")).containsExactly(1, 3, 5, 7, 9, 11, 13, 15);
        }
    }

    @Test
    void threeDimensionalPermutationIsGatheredInOrder() throws IOException {
        // storage is a contiguous [2,3,4] array a; the tensor is a.permute(2,0,1) of shape [4,2,3]
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", iota(24))
                .tensor("p", "0", 0, new long[] {4, 2, 3}, new long[] {1, 12, 4})
                .write(dir.resolve("permute.bin"));
        float[] expected = new float[24];
        int o = 0;
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    expected[o++] = i * 12 + j * 4 + k;
                }
            }
        }
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.readFloats("p", 4, 2, 3)).containsExactly(expected);
        }
    }

    @Test
    void broadcastStrideZeroRepeatsTheRow() throws IOException {
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", 7, 8)
                .tensor("e", "0", 0, new long[] {3, 2}, new long[] {0, 1})
                .write(dir.resolve("expand.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.readFloats("e")).containsExactly(7, 8, 7, 8, 7, 8);
        }
    }

    @Test
    void twoTensorsShareOneStorage() throws IOException {
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", iota(8))
                .contiguous("first", "0", 0, 4)
                .contiguous("second", "0", 4, 2, 2)
                .write(dir.resolve("shared.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.info("first").storageKey()).isEqualTo(ckpt.info("second").storageKey());
            assertThat(ckpt.readFloats("first", 4)).containsExactly(0, 1, 2, 3);
            assertThat(ckpt.readFloats("second", 2, 2)).containsExactly(4, 5, 6, 7);
            assertThat(ckpt.readFloats("first")).containsExactly(0, 1, 2, 3); // re-readable
        }
    }

    @Test
    void zeroDimensionalAndEmptyTensors() throws IOException {
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", 1.5f, 2.5f)
                .contiguous("scalar", "0", 1)
                .contiguous("empty", "0", 0, 0, 3)
                .write(dir.resolve("scalar.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            TensorInfo scalar = ckpt.info("scalar");
            assertThat(scalar.shape()).isEmpty();
            assertThat(scalar.stride()).isEmpty();
            assertThat(scalar.numel()).isEqualTo(1);
            assertThat(ckpt.readFloats("scalar")).containsExactly(2.5f);
            assertThat(ckpt.readFloats("scalar", new long[0])).containsExactly(2.5f);
            assertThat(ckpt.info("empty").numel()).isZero();
            assertThat(ckpt.readFloats("empty", 0, 3)).isEmpty();
        }
    }

    @Test
    void float64AndInt64HaveInfoButReadFloatsRefusesThem() throws IOException {
        Path file = new TorchZipWriter("archive")
                .doubleStorage("0", 1.0, 2.0, 3.0)
                .longStorage("1", 42)
                .contiguous("d", "0", 0, 3)
                .contiguous("n", "1", 0)
                .write(dir.resolve("dtypes.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.info("d").dtype()).isEqualTo("float64");
            assertThat(ckpt.info("d").shape()).containsExactly(3);
            assertThat(ckpt.info("n").dtype()).isEqualTo("int64");
            assertThat(ckpt.info("n").shape()).isEmpty();
            for (String key : List.of("d", "n")) {
                assertThatThrownBy(() -> ckpt.readFloats(key))
                        .isInstanceOf(CheckpointException.class)
                        .hasMessageContaining(file.toString())
                        .hasMessageContaining("'" + key + "'")
                        .hasMessageContaining(ckpt.info(key).dtype())
                        .hasMessageContaining("only float32");
            }
        }
    }

    @Test
    void everyStorageClassMapsToItsDtype() throws IOException {
        TorchZipWriter writer = new TorchZipWriter("archive");
        String[][] classes = {
                {"HalfStorage", "float16"}, {"BFloat16Storage", "bfloat16"}, {"IntStorage", "int32"},
                {"ByteStorage", "uint8"}, {"BoolStorage", "bool"}, {"CharStorage", "int8"}};
        for (String[] c : classes) {
            writer.storage(c[0], c[0], 1, new byte[8]).contiguous(c[1], c[0], 0);
        }
        writer.storage("odd", "FancyStorage", 1, new byte[8]).contiguous("odd", "odd", 0);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(writer.write(dir.resolve("classes.bin")))) {
            for (String[] c : classes) {
                assertThat(ckpt.info(c[1]).dtype()).isEqualTo(c[1]);
            }
            // an unknown storage class keeps its info and names itself; it just cannot be read
            assertThat(ckpt.info("odd").dtype()).isEqualTo("unknown(torch.FancyStorage)");
            assertThatThrownBy(() -> ckpt.readFloats("odd")).isInstanceOf(CheckpointException.class);
        }
    }

    @Test
    void keysKeepFileOrderAcrossOneLargeSetitems() throws IOException {
        // razorvine's own SETITEMS goes through a HashMap; these names would come out reordered
        TorchZipWriter writer = new TorchZipWriter("archive").floatStorage("0", 1f);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String name = "layer." + (i * 7919 % 300) + ".weight";
            names.add(name);
            writer.contiguous(name, "0", 0);
        }
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(writer.write(dir.resolve("order.bin")))) {
            assertThat(ckpt.keys()).containsExactlyElementsOf(names);
        }
    }

    @Test
    void plainDictRootAlsoKeepsOrder() throws IOException {
        Path file = new TorchZipWriter("custom_stem")
                .floatStorage("0", 1f, 2f)
                .contiguous("zeta", "0", 0)
                .contiguous("alpha", "0", 1)
                .plainDict()
                .write(dir.resolve("plain.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.keys()).containsExactly("zeta", "alpha");
            assertThat(ckpt.readFloats("alpha")).containsExactly(2f);
            assertThat(ckpt.file()).isEqualTo(file);
            assertThat(ckpt.contains("zeta")).isTrue();
            assertThat(ckpt.contains("beta")).isFalse();
        }
    }

    @Test
    void littleEndianByteOrderEntryIsAccepted() throws IOException {
        Path file = new TorchZipWriter("archive")
                .floatStorage("0", 1f)
                .contiguous("w", "0", 0, 1)
                .entry("byteorder", "little".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .write(dir.resolve("le.bin"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.readFloats("w")).containsExactly(1f);
        }
    }

    @Test
    void tensorInfoIsAValueWithDefensiveCopies() {
        long[] shape = {2, 3};
        TensorInfo info = new TensorInfo("k", "float32", shape, new long[] {3, 1}, 0, "0");
        shape[0] = 99;
        info.shape()[1] = 99;
        assertThat(info.shape()).containsExactly(2, 3);
        assertThat(info.numel()).isEqualTo(6);
        assertThat(info).isEqualTo(new TensorInfo("k", "float32", new long[] {2, 3}, new long[] {3, 1}, 0, "0"))
                .hasSameHashCodeAs(new TensorInfo("k", "float32", new long[] {2, 3}, new long[] {3, 1}, 0, "0"));
        assertThat(info.toString()).contains("[2, 3]");
    }
}
