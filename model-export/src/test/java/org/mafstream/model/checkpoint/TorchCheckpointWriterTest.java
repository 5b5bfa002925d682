package org.mafstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.bundle.Sha256;
import org.mafstream.model.export.BundleExporter;
import org.mafstream.model.export.ExportRequest;
import org.tensorflow.proto.framework.SavedModel;

/** {@link TorchCheckpointWriter} against the reader, against torch's own files in the maf-tiny fixture, and on failure. */
class TorchCheckpointWriterTest {
    private static final String[] CHECKPOINT_FILES = {"pytorch_model.bin", "pytorch_encoder.bin"};

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsKeysOrderShapesAndEveryBit() throws IOException {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x7fc0_1234), Float.intBitsToFloat(0xffc0_0001), 1f / 3};
        float[] big = new float[300_000]; // 1.2 MB: more than one write chunk
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i) * i;
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Path file = dir.resolve("pytorch_encoder.bin");
        try (TorchCheckpointWriter w = TorchCheckpointWriter.create(file)) {
            w.addFloats("resnet.conv1.weight", new long[] {2, 5}, special);
            shapes.put("resnet.conv1.weight", new long[] {2, 5});
            w.addFloats("resnet.bn1.weight", new long[0], new float[] {1.5f});
            shapes.put("resnet.bn1.weight", new long[0]);
            w.addLongs("resnet.bn1.num_batches_tracked", new long[0], new long[] {42});
            shapes.put("resnet.bn1.num_batches_tracked", new long[0]);
            w.addFloats("resnet.empty", new long[] {0, 3}, new float[0]);
            shapes.put("resnet.empty", new long[] {0, 3});
            w.addFloats("big", new long[] {300, 1000}, big);
            shapes.put("big", new long[] {300, 1000});
            for (int i = 0; i < 12; i++) { // more than 10 storages: torch's entry order ("0", "1", "10", ...) differs
                w.addFloats("fc.layer." + i + ".bias", new long[] {1, 2}, new float[] {i, -i});
                shapes.put("fc.layer." + i + ".bias", new long[] {1, 2});
            }
        }
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.keys()).containsExactlyElementsOf(shapes.keySet());
            shapes.forEach((key, shape) -> assertThat(info(ckpt, key).shape()).as(key).containsExactly(shape));
            assertSameBits("conv1", ckpt.readFloats("resnet.conv1.weight", 2, 5), special);
            assertThat(ckpt.readFloats("resnet.bn1.weight")).containsExactly(1.5f);
            assertSameBits("big", ckpt.readFloats("big"), big);
            assertThat(ckpt.readFloats("resnet.empty")).isEmpty();
            assertThat(info(ckpt, "resnet.empty").stride()).containsExactly(3, 1); // torch's strides for a size-0 dim
            assertThat(info(ckpt, "big").stride()).containsExactly(1000, 1);
            assertThat(ckpt.readFloats("fc.layer.11.bias")).containsExactly(11f, -11f);

            TensorInfo count = info(ckpt, "resnet.bn1.num_batches_tracked");
            assertThat(count.dtype()).isEqualTo("int64");
            assertThat(count.numel()).isEqualTo(1);
            assertThatThrownBy(() -> ckpt.readFloats("resnet.bn1.num_batches_tracked"))
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("int64");
            assertThat(readLongs(file, ckpt, "resnet.bn1.num_batches_tracked")).containsExactly(42L);

            // no module() calls: derived from the keys, BatchNorm (the module with num_batches_tracked) at version 2
            assertThat(ckpt.moduleVersions()).containsExactly(Map.entry("", 1), Map.entry("resnet", 1),
                    Map.entry("resnet.conv1", 1), Map.entry("resnet.bn1", 2), Map.entry("fc", 1), Map.entry("fc.layer", 1),
                    Map.entry("fc.layer.0", 1), Map.entry("fc.layer.1", 1), Map.entry("fc.layer.2", 1), Map.entry("fc.layer.3", 1),
                    Map.entry("fc.layer.4", 1), Map.entry("fc.layer.5", 1), Map.entry("fc.layer.6", 1), Map.entry("fc.layer.7", 1),
                    Map.entry("fc.layer.8", 1), Map.entry("fc.layer.9", 1), Map.entry("fc.layer.10", 1),
                    Map.entry("fc.layer.11", 1));
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertThat(names.get(0)).isEqualTo("pytorch_encoder/data.pkl"); // the folder: the file name less its extension
            assertThat(names.subList(1, 5)).containsExactly("pytorch_encoder/data/0", "pytorch_encoder/data/1",
                    "pytorch_encoder/data/10", "pytorch_encoder/data/11");
            assertThat(names.get(names.size() - 1)).isEqualTo("pytorch_encoder/version");
            assertThat(zip.stream()).allSatisfy(e -> assertThat(e.getMethod()).as(e.getName()).isEqualTo(ZipEntry.STORED));
            assertThat(new String(zip.getInputStream(zip.getEntry("pytorch_encoder/version")).readAllBytes())).isEqualTo("3\n");
        }
        assertThat(dataOffsets(file)).allSatisfy((name, offset) -> assertThat(offset % 64).as(name).isZero());
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void rewritesTorchsOwnFilesByteForByte() throws IOException {
        for (String name : CHECKPOINT_FILES) {
            Path original = TinyFixture.mafTiny(name);
            Path copy = rewrite(original, dir.resolve(name), true);
            assertThat(Files.mismatch(copy, original)).as("first differing byte of the rewritten " + name).isEqualTo(-1L);
            assertReadsTheSame(copy, original);
        }
    }

    @Test
    void withoutModuleVersionsTheFileDiffersOnlyInTheParameterlessModules() throws IOException {
        for (String name : CHECKPOINT_FILES) {
            Path original = TinyFixture.mafTiny(name);
            Path copy = rewrite(original, dir.resolve(name), false);
            assertReadsTheSame(copy, original);
            try (TorchCheckpoint a = TorchCheckpoint.open(original); TorchCheckpoint b = TorchCheckpoint.open(copy)) {
                Map<String, Integer> withTensors = new LinkedHashMap<>(a.moduleVersions());
                withTensors.keySet().removeIf(prefix -> !prefix.isEmpty()
                        && a.keys().stream().noneMatch(key -> key.startsWith(prefix + ".")));
                assertThat(b.moduleVersions()).containsExactlyEntriesOf(withTensors);
                assertThat(a.moduleVersions().size()).isGreaterThan(withTensors.size()); // dropout, relu, pooling, ...
            }
        }
    }

    @Test
    void exportsTheRewrittenPairToTheSameBundle() throws IOException {
        Engine.getEngine("TensorFlow"); // DJL puts the TensorFlow native library in place
        Path fixture = TinyFixture.mafTiny();
        Path exact = dir.resolve("exact");
        Path derived = dir.resolve("derived");
        for (Path folder : List.of(exact, derived)) {
            Files.createDirectories(folder);
            for (String name : CHECKPOINT_FILES) {
                rewrite(fixture.resolve(name), folder.resolve(name), folder == exact);
            }
            for (String json : List.of("config.json", "model_config.json")) {
                Files.copy(fixture.resolve(json), folder.resolve(json));
            }
        }
        Path originals = export(fixture, "originals");
        assertSameBundle(export(exact, "from-exact"), originals, true);

        // without the module versions the .bin files differ, and so does the manifest's list of their digests; nothing else
        Path bundle = export(derived, "from-derived");
        assertSameBundle(bundle, originals, false);
        BundleManifest manifest = BundleManifest.read(bundle);
        assertThat(manifest).usingRecursiveComparison().ignoringFields("sources").isEqualTo(BundleManifest.read(originals));
        for (BundleManifest.SourceFile source : manifest.sources()) {
            assertThat(source.sha256()).as(source.file()).isEqualTo(Sha256.of(derived.resolve(source.file())));
        }
    }

    @Test
    void aLengthMismatchMidWayLeavesNoFile() throws IOException {
        Path file = dir.resolve("pytorch_model.bin");
        assertThatThrownBy(() -> {
            try (TorchCheckpointWriter w = TorchCheckpointWriter.create(file)) {
                w.addFloats("a.weight", new long[] {2}, new float[] {1, 2});
                w.addFloats("a.bias", new long[] {2, 3}, new float[5]);
            }
        }).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a.bias'").hasMessageContaining("[2, 3] holds 6 elements but 5 values");
        assertThat(file).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFailedWriteKeepsThePreviousCheckpointAndAcceptsNoMoreTensors() throws IOException {
        Path file = dir.resolve("pytorch_model.bin");
        try (TorchCheckpointWriter w = TorchCheckpointWriter.create(file)) {
            w.addFloats("w", new long[] {1}, new float[] {7});
        }
        byte[] before = Files.readAllBytes(file);
        TorchCheckpointWriter w = TorchCheckpointWriter.create(file);
        w.addFloats("w", new long[] {1}, new float[] {8});
        assertThatThrownBy(() -> w.addFloats("w", new long[] {1}, new float[] {9}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w' was added twice");
        assertThatThrownBy(() -> w.addLongs("n", new long[0], new long[] {1}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("discarded");
        w.close(); // writes nothing: the failure was already thrown
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void badArgumentsAreRefusedWithTheKey() throws IOException {
        Path file = dir.resolve("x.bin");
        assertThatThrownBy(() -> TorchCheckpointWriter.create(file).addFloats("k", new long[] {-1}, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'k'").hasMessageContaining("negative");
        assertThatThrownBy(() -> TorchCheckpointWriter.create(file).addLongs("k", new long[] {1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k");
        assertThatThrownBy(() -> TorchCheckpointWriter.create(file).module("m", 1).module("m", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'m'");
        assertThatThrownBy(() -> TorchCheckpointWriter.create(dir.resolve("no/such/folder/x.bin")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("folder");
        assertThat(file).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path file = Files.writeString(dir.resolve("pytorch_model.bin"), "not a checkpoint");
        try (TorchCheckpointWriter w = TorchCheckpointWriter.create(file)) {
            w.addFloats("w", new long[] {2}, new float[] {1, 2});
        }
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.readFloats("w")).containsExactly(1f, 2f);
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anExceptionOfTheCallersBodyOrAnAbortWritesNothing() throws IOException {
        Path file = dir.resolve("pytorch_model.bin");
        assertThatThrownBy(() -> TorchCheckpointWriter.write(file, w -> {
            w.addFloats("w", new long[] {1}, new float[] {1});
            throw new IllegalStateException("the trainer failed");
        })).hasMessage("the trainer failed");
        TorchCheckpointWriter aborted = TorchCheckpointWriter.create(file).addFloats("w", new long[] {1}, new float[] {1});
        aborted.abort();
        aborted.close();
        assertThat(file).doesNotExist();
        assertThat(leftovers()).isEmpty();

        TorchCheckpointWriter.write(file, w -> w.addFloats("w", new long[] {1}, new float[] {3}));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.readFloats("w")).containsExactly(3f);
        }
    }

    @Test
    void archivesBeyondTheZipLimitFailAndLeaveNoFile() throws IOException {
        Path file = dir.resolve("big.bin");
        assertThatThrownBy(() -> {
            try (TorchCheckpointWriter w = TorchCheckpointWriter.create(file, 1000)) {
                w.addFloats("w", new long[] {300}, new float[300]); // 1200 bytes: refused before it is spooled
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("'w'").hasMessageContaining("zip64");
        assertThatThrownBy(() -> {
            try (TorchCheckpointWriter w = TorchCheckpointWriter.create(file, 1300)) {
                w.addFloats("w", new long[] {300}, new float[300]); // fits the spool; the archive around it does not
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("zip64");
        assertThat(file).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void moreThanOnePickleBatchAndOtherFileNames() throws IOException {
        Path file = dir.resolve("my.model.pth");
        List<String> keys = new ArrayList<>();
        try (TorchCheckpointWriter w = TorchCheckpointWriter.create(file)) {
            for (int i = 0; i < 1001; i++) { // CPython pickles 1000 items per SETITEMS, the 1001st alone
                keys.add("t" + (1000 - i));
                w.addFloats(keys.get(i), new long[0], new float[] {i});
            }
        }
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThat(ckpt.keys()).containsExactlyElementsOf(keys);
            assertThat(ckpt.readFloats("t0")).containsExactly(1000f);
        }
        Path empty = dir.resolve("weights");
        TorchCheckpointWriter.create(empty).close();
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(empty)) {
            assertThat(ckpt.keys()).isEmpty();
            assertThat(ckpt.moduleVersions()).containsExactly(Map.entry("", 1));
        }
        try (ZipFile a = new ZipFile(file.toFile()); ZipFile b = new ZipFile(empty.toFile())) {
            assertThat(a.getEntry("my.model/data.pkl")).isNotNull();
            assertThat(b.stream().map(ZipEntry::getName)).containsExactly("weights/data.pkl", "weights/version");
        }
    }

    /** Writes every tensor of {@code original} to {@code target}, in order, with its module versions or without. */
    private static Path rewrite(Path original, Path target, boolean withModuleVersions) throws IOException {
        try (TorchCheckpoint in = TorchCheckpoint.open(original);
             TorchCheckpointWriter out = TorchCheckpointWriter.create(target)) {
            if (withModuleVersions) {
                in.moduleVersions().forEach(out::module);
            }
            for (String key : in.keys()) {
                TensorInfo info = in.info(key);
                switch (info.dtype()) {
                    case "float32" -> out.addFloats(key, info.shape(), in.readFloats(key));
                    case "int64" -> out.addLongs(key, info.shape(), readLongs(original, in, key));
                    default -> throw new AssertionError(key + ": unexpected dtype " + info.dtype());
                }
            }
        }
        return target;
    }

    private static void assertReadsTheSame(Path copy, Path original) throws IOException {
        try (TorchCheckpoint a = TorchCheckpoint.open(original); TorchCheckpoint b = TorchCheckpoint.open(copy)) {
            assertThat(b.keys()).containsExactlyElementsOf(a.keys());
            for (String key : a.keys()) {
                assertThat(b.info(key)).as(key).isEqualTo(a.info(key));
                if (a.info(key).dtype().equals("float32")) {
                    assertSameBits(key, b.readFloats(key), a.readFloats(key));
                } else {
                    assertThat(readLongs(copy, b, key)).as(key).containsExactly(readLongs(original, a, key));
                }
            }
        }
    }

    private Path export(Path checkpointDir, String bundleName) throws IOException {
        Path bundle = dir.resolve(bundleName);
        new BundleExporter(System.out).export(new ExportRequest(
                checkpointDir.resolve("pytorch_model.bin"), checkpointDir.resolve("pytorch_encoder.bin"),
                checkpointDir.resolve("config.json"), checkpointDir.resolve("model_config.json"),
                null, bundle, "maf-tiny", "golden", null, 0));
        return bundle;
    }

    /**
     * The same files with the same SHA-256 (the manifest's only if {@code sameManifest}), except that
     * a {@code saved_model.pb} need only be the same protobuf: the exporter's are not byte-reproducible
     * even from identical checkpoints, TensorFlow writing each node's attribute map in varying order.
     */
    private static void assertSameBundle(Path actual, Path expected, boolean sameManifest) throws IOException {
        Map<String, String> got = digests(actual);
        Map<String, String> want = digests(expected);
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
        for (Map.Entry<String, String> file : want.entrySet()) {
            String name = file.getKey();
            if (name.endsWith("saved_model.pb") && !got.get(name).equals(file.getValue())) {
                assertThat(SavedModel.parseFrom(Files.readAllBytes(actual.resolve(name))))
                        .as(name).isEqualTo(SavedModel.parseFrom(Files.readAllBytes(expected.resolve(name))));
            } else if (sameManifest || !name.equals(BundleManifest.FILE_NAME)) {
                assertThat(got.get(name)).as(name).isEqualTo(file.getValue());
            }
        }
    }

    /** Relative path to SHA-256 of every file under {@code root}. */
    private static Map<String, String> digests(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toMap(
                    f -> root.relativize(f).toString(), TorchCheckpointWriterTest::sha256, (x, y) -> x, TreeMap::new));
        }
    }

    private static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reader exposes int64 tensors by their info only; their values, read from the storage entry. */
    private static long[] readLongs(Path file, TorchCheckpoint ckpt, String key) throws IOException {
        TensorInfo info = info(ckpt, key);
        assertThat(info.dtype()).isEqualTo("int64");
        assertThat(info.isContiguous()).isTrue();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String stem = zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow()
                    .replace("/data.pkl", "");
            byte[] bytes = zip.getInputStream(zip.getEntry(stem + "/data/" + info.storageKey())).readAllBytes();
            long[] values = new long[(int) info.numel()];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().position((int) info.storageOffset()).get(values);
            return values;
        }
    }

    /** Entry name to the file offset of its data, walking the local headers in file order. */
    private static Map<String, Long> dataOffsets(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Long> offsets = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            int at = 0;
            while (b.getInt(at) == 0x04034b50) {
                int nameLength = b.getShort(at + 26);
                int extraLength = b.getShort(at + 28);
                String name = new String(bytes, at + 30, nameLength, java.nio.charset.StandardCharsets.UTF_8);
                assertThat(new String(bytes, at + 30 + nameLength, 2, java.nio.charset.StandardCharsets.US_ASCII))
                        .as("extra field of " + name).isEqualTo("FB");
                int data = at + 30 + nameLength + extraLength;
                offsets.put(name, (long) data);
                at = data + (int) zip.getEntry(name).getSize() + 16; // then the data descriptor
            }
            assertThat(offsets).hasSize(zip.size());
        }
        return offsets;
    }

    private static TensorInfo info(TorchCheckpoint ckpt, String key) {
        try {
            return ckpt.info(key);
        } catch (CheckpointException e) {
            throw new AssertionError(e);
        }
    }

    /** Same length and the same raw bits (NaN payloads, signed zeros) at every index. */
    private static void assertSameBits(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                throw new AssertionError(what + "[" + i + "]: bits " + Integer.toHexString(Float.floatToRawIntBits(actual[i]))
                        + ", expected " + Integer.toHexString(Float.floatToRawIntBits(expected[i])));
            }
        }
    }

    /** Spool and temporary files the writer left in the folder. */
    private List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.endsWith(".spool")).toList();
        }
    }
}
