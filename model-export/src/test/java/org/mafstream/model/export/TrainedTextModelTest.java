package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.bundle.Sha256;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.weights.HeadParameters;

/**
 * The committed Twitter-2017 heads: readable from the class path, trained on the data files this
 * repository's tests read (same SHA-256), with their test figures in the model's description.
 */
class TrainedTextModelTest {
    private static final Path DATA = Fixtures.data("twitter2017");

    @Test
    void theBuiltInModelIsTheFineTunedOneAndRecordsItsRun() throws Exception {
        TextModelParts parts = TrainedTextModel.builtIn();
        assertThat(parts.adapters()).as("adapters.json beside the heads").isNotNull();
        assertThat(parts.adapters().plan().rank()).isEqualTo(8);
        assertThat(parts.heads().binaryBytes() + parts.adapters().file().binary().length).isLessThan(16L << 20);
        JsonNode training = parts.heads().training();
        // Exactly these files, by role: the fine-tuning data, the valid files that chose the epoch, and the one test file scored.
        assertThat(training.path("data").findValuesAsText("path")).containsExactly(
                "../shared/data/twitter2017/train.txt", "../shared/data/twitter2015/train.txt",
                "../shared/data/twitter2017/valid.txt", "../shared/data/twitter2015/valid.txt",
                "../shared/data/twitter2017/test.txt");
        for (JsonNode file : training.path("data")) {
            String path = file.path("path").asText();
            // The run read them from ../shared; testdata/ holds the same files (same SHA-256).
            Path local = Fixtures.data(path.replaceFirst("^\\.\\./shared/data/", ""));
            assertThat(file.path("sha256").asText()).as(local.toString()).isEqualTo(Sha256.of(local));
        }
        assertThat(training.path("epochs")).isNotEmpty().allSatisfy(epoch -> assertThat(epoch.path("valid").size()).isEqualTo(2));
        assertThat(training.path("bestEpoch").asInt()).isBetween(1, training.path("epochs").size());
        assertThat(training.path("commandLine").asText()).contains("fine-tune").contains("--seed");
        assertThat(TrainedTextModel.description(parts.heads())).startsWith(TrainedTextModel.FINE_TUNED_SUMMARY)
                .containsPattern("Twitter-2017 test F1 \\d\\d\\.\\d \\(P \\d\\d\\.\\d, R \\d\\d\\.\\d\\)");
    }

    @Test
    void theBaselineHeadsAreTheTwitterHeadsOverFrozenBertBase() throws Exception {
        HeadParameters heads = TrainedTextModel.baselineHeads();
        assertThat(heads.labels()).isEqualTo(ModelConfig.TWITTER_LABELS);
        assertThat(heads.hidden()).isEqualTo(768);
        assertThat(heads.binaryBytes()).isEqualTo(4L * (13 * 1536 + 13 + 13 + 13 + 13 * 13));
    }

    @Test
    void trainingRecordNamesTheTestdataFiles() throws Exception {
        JsonNode training = TrainedTextModel.baselineHeads().training();
        assertThat(training.path("data")).hasSize(3);
        for (JsonNode file : training.path("data")) {
            Path local = DATA.resolve(file.path("role").asText() + ".txt");
            assertThat(file.path("sha256").asText()).as(local.toString()).isEqualTo(Sha256.of(local));
        }
        assertThat(training.path("bestEpoch").asInt()).isPositive();
        assertThat(training.path("test").path("overall").path("f1").asDouble()).isBetween(0.5, 1.0);
    }

    @Test
    void descriptionStatesWhatTheModelIsAndItsTestF1() throws Exception {
        String description = TrainedTextModel.description(TrainedTextModel.baselineHeads());
        assertThat(description).startsWith("text-only MAF heads trained on Twitter-2017 text; image branch disabled")
                .containsPattern("Twitter-2017 test F1 \\d\\d\\.\\d \\(P \\d\\d\\.\\d, R \\d\\d\\.\\d\\)");
    }
}
