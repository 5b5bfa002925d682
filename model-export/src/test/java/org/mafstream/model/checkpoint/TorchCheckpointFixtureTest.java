package org.mafstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader against the real torch 1.13 checkpoints of the MAF fixture (README sections 1 and 5). */
class TorchCheckpointFixtureTest {
    private static final String MODEL = "pytorch_model.bin";
    private static final String ENCODER = "pytorch_encoder.bin";

    record IndexEntry(String key, long[] shape, String dtype) {
    }

    @ParameterizedTest
    @CsvSource({"pytorch_model.bin, 108", "pytorch_encoder.bin, 122"})
    void keysDtypesAndShapesEqualTheIndexInFileOrder(String name, int count) throws IOException {
        List<IndexEntry> index = index(name);
        assertThat(index).hasSize(count);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(TinyFixture.mafTiny(name))) {
            assertThat(ckpt.keys()).containsExactlyElementsOf(index.stream().map(IndexEntry::key).toList());
            for (IndexEntry expected : index) {
                TensorInfo info = ckpt.info(expected.key());
                assertThat(info.dtype()).as(expected.key()).isEqualTo(expected.dtype());
                assertThat(info.shape()).as(expected.key()).containsExactly(expected.shape());
                assertThat(ckpt.contains(expected.key())).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {MODEL, ENCODER})
    void everyFloat32TensorReadsWithItsShapeAndFiniteValues(String name) throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(TinyFixture.mafTiny(name))) {
            for (String key : ckpt.keys()) {
                TensorInfo info = ckpt.info(key);
                if (!info.dtype().equals("float32")) {
                    continue;
                }
                float[] values = ckpt.readFloats(key, info.shape());
                assertThat(values).as(key).hasSize((int) info.numel());
                for (float v : values) {
                    assertThat(Float.isFinite(v)).as(key).isTrue();
                }
            }
        }
    }

    @Test
    void firstValuesEqualTheRawStorageBytes() throws IOException {
        // Decoded independently from the zip with Python's struct.unpack('<f').
        try (TorchCheckpoint model = TorchCheckpoint.open(TinyFixture.mafTiny(MODEL));
             TorchCheckpoint encoder = TorchCheckpoint.open(TinyFixture.mafTiny(ENCODER))) {
            float[] words = model.readFloats("bert.embeddings.word_embeddings.weight", 28996, 32);
            assertThat(words[0]).isEqualTo(-0.8201345205307007f);
            assertThat(words[1]).isEqualTo(0.39563116431236267f);
            assertThat(words[2]).isEqualTo(0.8989084959030151f);
            assertThat(words[3]).isEqualTo(-1.3884038925170898f);
            float[] conv1 = encoder.readFloats("resnet.conv1.weight", 64, 3, 7, 7);
            assertThat(conv1[0]).isEqualTo(0.01652621477842331f);
            assertThat(conv1[1]).isEqualTo(-0.010885312221944332f);
            assertThat(conv1[2]).isEqualTo(-0.010102314874529839f);
        }
    }

    @Test
    void layerNormWeightsLieInTheirInitRange() throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(TinyFixture.mafTiny(MODEL))) {
            List<String> keys = keysEndingWith(ckpt, "LayerNorm.weight");
            assertThat(keys).hasSizeGreaterThanOrEqualTo(5);
            for (String key : keys) {
                for (float v : ckpt.readFloats(key)) {
                    assertThat(v).as(key).isBetween(0.6f, 1.4f);
                }
            }
        }
    }

    @Test
    void batchNormParametersAndStatisticsArePlausible() throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(TinyFixture.mafTiny(ENCODER))) {
            List<String> vars = keysEndingWith(ckpt, "running_var");
            assertThat(vars).hasSize(20);
            for (String key : vars) {
                for (float v : ckpt.readFloats(key)) {
                    assertThat(v).as(key).isPositive();
                }
            }
            for (String key : vars) {
                String weight = key.replace("running_var", "weight");
                for (float v : ckpt.readFloats(weight)) {
                    assertThat(v).as(weight).isBetween(0.5f, 1.5f);
                }
            }
        }
    }

    @Test
    void moduleVersionsAreTorchsMetadataOfEveryModule() throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(TinyFixture.mafTiny(ENCODER))) {
            Map<String, Integer> versions = ckpt.moduleVersions();
            // pre-order, parameterless modules included; torch's BatchNorm is at version 2
            assertThat(versions.keySet()).startsWith("", "resnet", "resnet.conv1", "resnet.bn1", "resnet.relu", "resnet.maxpool");
            assertThat(versions).containsEntry("resnet.bn1", 2).containsEntry("resnet.layer4.0.downsample.1", 2)
                    .containsEntry("resnet.conv1", 1).containsEntry("resnet.fc", 1);
        }
    }

    @Test
    void crfScoresAreStandardNormalDraws() throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(TinyFixture.mafTiny(MODEL))) {
            float[] transitions = ckpt.readFloats("crf.transitions", 13, 13);
            double mean = 0;
            for (float v : transitions) {
                mean += v / transitions.length;
            }
            assertThat(mean).isCloseTo(0.0, within(0.3));
        }
    }

    @Test
    void numBatchesTrackedIsA0dInt64TensorThatReadFloatsRefuses() throws IOException {
        Path file = TinyFixture.mafTiny(ENCODER);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            List<String> counters = keysEndingWith(ckpt, "num_batches_tracked");
            assertThat(counters).hasSize(20);
            TensorInfo info = ckpt.info(counters.get(0));
            assertThat(info.dtype()).isEqualTo("int64");
            assertThat(info.shape()).isEmpty();
            assertThat(info.numel()).isEqualTo(1);
            assertThatThrownBy(() -> ckpt.readFloats(counters.get(0)))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(counters.get(0))
                    .hasMessageContaining("int64");
        }
    }

    @Test
    void everyFixtureTensorOwnsAContiguousStorageFromOffsetZero() throws IOException {
        for (String name : List.of(MODEL, ENCODER)) {
            try (TorchCheckpoint ckpt = TorchCheckpoint.open(TinyFixture.mafTiny(name))) {
                List<String> storageKeys = new ArrayList<>();
                for (String key : ckpt.keys()) {
                    TensorInfo info = ckpt.info(key);
                    assertThat(info.isContiguous()).as(key).isTrue();
                    assertThat(info.storageOffset()).as(key).isZero();
                    storageKeys.add(info.storageKey());
                }
                assertThat(storageKeys).doesNotHaveDuplicates();
            }
        }
    }

    private static List<String> keysEndingWith(TorchCheckpoint ckpt, String suffix) {
        return ckpt.keys().stream().filter(k -> k.endsWith(suffix)).toList();
    }

    private static List<IndexEntry> index(String name) throws IOException {
        Map<String, List<List<Object>>> all = new ObjectMapper().readValue(
                TinyFixture.mafTiny("state_dict_index.json").toFile(), new TypeReference<>() {
                });
        List<IndexEntry> entries = new ArrayList<>();
        for (List<Object> row : all.get(name)) {
            List<?> dims = (List<?>) row.get(1);
            long[] shape = dims.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
            entries.add(new IndexEntry((String) row.get(0), shape, (String) row.get(2)));
        }
        return entries;
    }
}
