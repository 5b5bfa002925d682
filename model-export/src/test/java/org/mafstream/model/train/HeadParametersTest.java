package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.bundle.CrfParameters;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.HeadParametersException;

class HeadParametersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS = List.of("PAD", "O", "B-PER");
    private static final int HIDDEN = 2;

    @Test
    void roundTripsThroughADirectory(@TempDir Path dir) throws IOException {
        HeadParameters written = sample();
        written.write(dir);

        HeadParameters read = HeadParameters.read(dir);

        assertThat(read.labels()).isEqualTo(LABELS);
        assertThat(read.hidden()).isEqualTo(HIDDEN);
        for (String key : List.of(HeadParameters.WEIGHT, HeadParameters.BIAS, HeadParameters.START, HeadParameters.END,
                HeadParameters.TRANSITIONS)) {
            assertThat(read.read(key, read.shape(key))).as(key).containsExactly(written.read(key, written.shape(key)));
        }
        assertThat(read.read(HeadParameters.WEIGHT, new long[] {3, 4})).containsExactly(1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0);
        assertThat(read.training().path("seed").asInt()).isEqualTo(42);
        CrfParameters crf = read.crf();
        assertThat(crf.transitions()[0]).containsExactly(0.5f, -1, 2);
        assertThat(crf.end()).containsExactly(-0.25f, 0, 7);
    }

    @Test
    void theFilesAreTheDocumentedLayout(@TempDir Path dir) throws IOException {
        sample().write(dir);

        JsonNode manifest = JSON.readTree(dir.resolve(HeadParameters.MANIFEST).toFile());
        ByteBuffer binary = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(HeadParameters.BINARY))).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(manifest.path("formatVersion").asInt()).isEqualTo(1);
        assertThat(manifest.path("hidden").asInt()).isEqualTo(HIDDEN);
        assertThat(manifest.path("tensors").findValuesAsText("name")).containsExactly("classifier.weight",
                "classifier.bias", "crf.start_transitions", "crf.end_transitions", "crf.transitions");
        assertThat(manifest.path("tensors").get(0).path("shape").toString()).isEqualTo("[3,4]");
        assertThat(manifest.path("tensors").get(1).path("offset").asInt()).isEqualTo(48);
        assertThat(binary.capacity()).isEqualTo(4 * (12 + 3 + 3 + 3 + 9));
        assertThat(binary.getFloat(4)).isEqualTo(2f);
        assertThat(binary.getFloat(48)).isEqualTo(0.1f); // classifier.bias[0]
    }

    @Test
    void readsFromClassPathResources(@TempDir Path root) throws IOException {
        Path dir = root.resolve("org/mafstream/model/heads/sample");
        sample().write(dir);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            HeadParameters read = HeadParameters.readResource(loader, "org/mafstream/model/heads/sample");

            assertThat(read.read(HeadParameters.BIAS, new long[] {3})).containsExactly(0.1f, 0.2f, 0.3f);
            assertThatThrownBy(() -> HeadParameters.readResource(loader, "org/mafstream/model/heads/none"))
                    .isInstanceOf(HeadParametersException.class).hasMessageContaining("has no heads.json");
        }
    }

    @Test
    void aDamagedBinaryFailsItsChecksum(@TempDir Path dir) throws IOException {
        sample().write(dir);
        byte[] bytes = Files.readAllBytes(dir.resolve(HeadParameters.BINARY));
        bytes[5] ^= 1;
        Files.write(dir.resolve(HeadParameters.BINARY), bytes);

        assertThatThrownBy(() -> HeadParameters.read(dir))
                .isInstanceOf(HeadParametersException.class).hasMessageContaining("heads.bin has sha256")
                .hasMessageContaining("damaged");
    }

    @Test
    void aWrongShapeIsRefusedOnReadAndOnRequest(@TempDir Path dir) throws IOException {
        sample().write(dir);
        Path manifestFile = dir.resolve(HeadParameters.MANIFEST);
        ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
        ((ObjectNode) manifest.path("tensors").get(4)).putArray("shape").add(9);
        JSON.writeValue(manifestFile.toFile(), manifest);

        assertThatThrownBy(() -> HeadParameters.read(dir))
                .isInstanceOf(HeadParametersException.class)
                .hasMessageContaining("crf.transitions has shape [9], expected [3, 3]");
        assertThatThrownBy(() -> sample().read(HeadParameters.BIAS, new long[] {4}))
                .isInstanceOf(HeadParametersException.class).hasMessageContaining("classifier.bias has shape [3], not [4]");
        assertThatThrownBy(() -> sample().read("bert.pooler.dense.weight", new long[] {1}))
                .isInstanceOf(HeadParametersException.class).hasMessageContaining("no tensor bert.pooler.dense.weight");
    }

    @Test
    void theImageHalfOfTheClassifierMustBeZero() {
        float[] weight = {1, 2, 0, 0, 3, 4, 0, 9, 5, 6, 0, 0};

        assertThatThrownBy(() -> HeadParameters.of(LABELS, HIDDEN, weight, new float[3], new float[3], new float[3],
                new float[9], null))
                .isInstanceOf(HeadParametersException.class).hasMessageContaining("classifier.weight[1][3] is not 0");
    }

    @Test
    void aTrainedHeadSurvivesTheTripExactlyInFloat32(@TempDir Path dir) throws IOException {
        TextHead head = TextHead.initialised(3, HIDDEN, 5);
        head.bias[2] = 1.0 / 3;
        head.crf.transitions[1][2] = -0.1;
        head.toParameters(LABELS, null).write(dir);

        TextHead read = TextHead.from(HeadParameters.read(dir));

        assertThat(read.bias[2]).isEqualTo((float) (1.0 / 3));
        assertThat(read.crf.transitions[1][2]).isEqualTo((float) -0.1);
        assertThat(read.weight[2][1]).isEqualTo((float) head.weight[2][1]).isNotZero();
        assertThat(read.hidden()).isEqualTo(HIDDEN);
    }

    private static HeadParameters sample() throws HeadParametersException {
        float[] weight = {1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0};
        return HeadParameters.of(LABELS, HIDDEN, weight, new float[] {0.1f, 0.2f, 0.3f}, new float[] {1, 2, 3},
                new float[] {-0.25f, 0, 7}, new float[] {0.5f, -1, 2, 0, 0, 0, 1, 1, 1},
                JSON.createObjectNode().put("seed", 42));
    }
}
