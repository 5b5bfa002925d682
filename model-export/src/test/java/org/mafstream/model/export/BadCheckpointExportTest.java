package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.checkpoint.CheckpointException;
import org.mafstream.model.testing.Fixtures;

/** An export from checkpoint files that do not fit together fails naming the file and the key. */
class BadCheckpointExportTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void engine() {
        Engine.getEngine("TensorFlow");
    }

    @Test
    void aConfigThatDoesNotMatchTheCheckpointNamesTheKeyAndBothShapes() throws IOException {
        Path fixture = Fixtures.mafTiny();
        Path config = tmp.resolve("config.json");
        Files.writeString(config, Files.readString(fixture.resolve("config.json"))
                .replace("\"hidden_size\": 32", "\"hidden_size\": 64"));

        assertThatThrownBy(() -> export(fixture.resolve("pytorch_model.bin"), fixture.resolve("pytorch_encoder.bin"), config,
                fixture.resolve("model_config.json")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("pytorch_model.bin")
                .hasMessageContaining("bert.embeddings.word_embeddings.weight")
                .hasMessageContaining("64")
                .hasMessageContaining("32");
    }

    @Test
    void swappedModelAndEncoderFilesAreReportedAsAMissingKey() {
        Path fixture = Fixtures.mafTiny();
        assertThatThrownBy(() -> export(fixture.resolve("pytorch_encoder.bin"), fixture.resolve("pytorch_model.bin"),
                fixture.resolve("config.json"), fixture.resolve("model_config.json")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("pytorch_model.bin");
    }

    @Test
    void aNonEmptyOutputDirectoryIsRefused() throws IOException {
        Path fixture = Fixtures.mafTiny();
        Files.writeString(tmp.resolve("out-file"), "x");
        assertThatThrownBy(() -> new BundleExporter(System.out).export(new ExportRequest(
                fixture.resolve("pytorch_model.bin"), fixture.resolve("pytorch_encoder.bin"),
                fixture.resolve("config.json"), fixture.resolve("model_config.json"), null, tmp, "x", "1", null, 0)))
                .hasMessageContaining("not empty");
    }

    private void export(Path model, Path encoder, Path config, Path modelConfig) throws IOException {
        new BundleExporter(System.out).export(new ExportRequest(model, encoder, config, modelConfig, null,
                tmp.resolve("bundle"), "bad", "1", null, 0));
    }
}
