package org.mafstream.model.multimodal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.testing.Fixtures;

/** The generated state-dict layout is the one the original code wrote for the fixture, key for key and shape for shape. */
class MafStateDictTest {
    @Test
    void theTinyLayoutIsTheFixturesCheckpoint() throws Exception {
        JsonNode index = new ObjectMapper().readTree(Fixtures.mafTiny().resolve("state_dict_index.json").toFile())
                .get("pytorch_model.bin");
        List<String> expected = new ArrayList<>();
        index.forEach(entry -> expected.add(entry.get(0).asText() + " " + entry.get(1)));
        // The tiny fixture's encoder has 256 channels (its patches.diff narrows vismap2text).
        List<String> generated = MafStateDict.model(MafShape.TINY, 256).stream()
                .map(e -> e.key() + " " + java.util.Arrays.toString(e.shape()).replace(" ", "")).toList();
        assertThat(generated).containsExactlyElementsOf(expected);
    }

    @Test
    void originalInitialisationFollowsInitBertWeights() {
        OriginalInitialisation init = new OriginalInitialisation(37);
        assertThat(init.read("txt2img_attention.layer.0.output.LayerNorm.weight", new long[] {4})).containsExactly(1f, 1f, 1f, 1f);
        assertThat(init.read("classifier.bias", new long[] {3})).containsExactly(0f, 0f, 0f);
        float[] crf = init.read("crf.transitions", new long[] {13, 13});
        for (float x : crf) {
            assertThat(x).isBetween(-0.1f, 0.1f);
        }
        float[] w = init.read("crs_classifier.weight", new long[] {2, 8192});
        double sum = 0, squares = 0;
        for (float x : w) {
            sum += x;
            squares += (double) x * x;
        }
        double std = Math.sqrt(squares / w.length - Math.pow(sum / w.length, 2));
        assertThat(std).isBetween(0.019, 0.021);
        assertThat(init.read("crs_classifier.weight", new long[] {2, 8192})).isEqualTo(w);
    }
}
