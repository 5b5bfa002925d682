package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mafstream.cli.ToolCommandLine.UsageException;

class FineTuneOptionsTest {
    @Test
    void defaultsAreLoraOnBothCollectionsWithCheckpointsBesideTheOutput() {
        FineTuneOptions options = FineTuneOptions.parse(new String[] {"--train", "a/train.txt,b/train.txt",
                "--valid", "a/valid.txt", "--out", "/runs/model"});
        assertThat(options.train()).containsExactly(Path.of("a/train.txt"), Path.of("b/train.txt"));
        assertThat(options.valid()).containsExactly(Path.of("a/valid.txt"));
        assertThat(options.checkpoints()).isEqualTo(Path.of("/runs/model.checkpoints"));
        assertThat(options.settings()).isEqualTo(FineTuneSettings.DEFAULTS);
        assertThat(options.settings().trainable())
                .accepts("bert.encoder.layer.3.attention.self.query.lora_A", "bert.encoder.layer.3.output.LayerNorm.weight",
                        "bert.encoder.layer.3.intermediate.dense.bias", "classifier.weight", "crf.transitions")
                .rejects("bert.encoder.layer.3.attention.self.query.weight", "bert.embeddings.word_embeddings.weight",
                        "crs_classifier.bias", "Gate_image.weight");
        assertThat(options.resume()).isFalse();
    }

    @Test
    void fullFineTuningTrainsEveryTextWeightButTheImageBranch() {
        FineTuneSettings settings = FineTuneOptions.parse(new String[] {"--train", "t", "--valid", "v", "--out", "o",
                "--mode", "full", "--resume"}).settings();
        assertThat(settings.trainable()).accepts("bert.embeddings.word_embeddings.weight", "classifier.weight")
                .rejects("vismap2text.weight", "txt2img_attention.layer.0.output.dense.weight");
        assertThat(settings.adapters().covers()).rejects("bert.encoder.layer.0.attention.self.query");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThatThrownBy(() -> FineTuneOptions.parse(new String[] {"--train", "t", "--valid", "v", "--out", "o", "--mode", "half"}))
                .hasMessage("Option --mode must be one of lora, full, got half");
        assertThatThrownBy(() -> FineTuneOptions.parse(new String[] {"--train", "t", "--valid", "v", "--out", "o", "--dropout", "1"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("invalid fine-tuning settings");
        assertThatThrownBy(() -> FineTuneOptions.parse(new String[] {"--valid", "v", "--out", "o"}))
                .hasMessage("Option --train is required");
        assertThatThrownBy(() -> FineTuneOptions.parse(new String[] {"--train", ",", "--valid", "v", "--out", "o"}))
                .hasMessage("Option --train names no file");
        assertThatThrownBy(() -> FineTuneOptions.parse(new String[] {"--train", "t", "--valid", "v", "--out", "o", "--rank", "2.5"}))
                .hasMessage("Option --rank must be an integer, got 2.5");
    }
}
