package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.export.TextModelParts;
import org.mafstream.model.train.FineTuneSettings;
import org.mafstream.model.train.FineTuner;

/** The command end to end on a tiny random BERT: it writes heads and adapters that assemble reads as one model. */
class FineTuneCommandTest {
    private static final String CONLL = """
            IMGID:1
            Kawhi\tB-PER
            Leonard\tI-PER
            wins\tO
            in\tO
            Toronto\tB-LOC

            IMGID:2
            RT\tO
            @nba\tO
            :\tO
            Lakers\tB-ORG
            beat\tO
            Boston\tB-OTHER

            """;

    @TempDir
    Path dir;

    @Test
    void writesHeadsAndAdaptersWithTheRunsRecord() throws Exception {
        Path data = Files.writeString(dir.resolve("train.txt"), CONLL.repeat(4));
        Path out = dir.resolve("model");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FineTuneCommand.run(new String[] {"--train", data.toString(), "--valid", data.toString(), "--out",
                        out.toString(), "--tiny-random-bert", "--init-heads", "random", "--epochs", "1", "--batch", "4"},
                new PrintStream(log, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("step 2/2").contains("epoch 1: loss").contains("ETA");

        TextModelParts parts = TextModelParts.read(out);
        assertThat(parts.adapters().plan().rank()).isEqualTo(FineTuneSettings.DEFAULTS.rank());
        assertThat(parts.adapters().file().tensors().keySet()).anyMatch(key -> key.endsWith(".lora_A"))
                .anyMatch(key -> key.endsWith("LayerNorm.weight")).noneMatch(FineTuneSettings::isHead);
        assertThat(parts.heads().training().path("epochs")).hasSize(1);
        assertThat(parts.heads().training().path("data").findValuesAsText("role")).isEqualTo(List.of("train", "valid"));
        assertThat(Files.exists(dir.resolve("model.checkpoints").resolve(FineTuner.PROGRESS))).isTrue();
    }
}
