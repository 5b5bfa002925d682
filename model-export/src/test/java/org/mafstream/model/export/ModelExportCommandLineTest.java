package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.model.arch.MafShape;

/** model-export's command line at every level, parsed only: nothing here loads TensorFlow. */
class ModelExportCommandLineTest {
    private String out;
    private String err;

    private int run(String... args) throws Exception {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int status = ModelExport.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    void randomInitTakesItsSize() {
        ExportRequest request = ModelExport.parse(new String[] {"--random-init", "base", "--out", "bundles/random"});
        assertThat(request.randomInit()).isEqualTo(MafShape.BASE);
        assertThat(request.out()).isEqualTo(Path.of("bundles/random"));
        assertThat(request.version()).isEqualTo("random-base-seed42");
        assertThat(ModelExport.parse(new String[] {"--random-init", "tiny", "--out", "o", "--seed", "7"}).version())
                .isEqualTo("random-tiny-seed7");
    }

    @Test
    void randomInitWithoutASizeIsAnErrorNamingTheChoices() {
        assertThatThrownBy(() -> ModelExport.parse(new String[] {"--random-init", "--out", "o"}))
                .isInstanceOf(UsageException.class).hasMessage("Option --random-init needs a value (tiny|base)");
        assertThatThrownBy(() -> ModelExport.parse(new String[] {"--out", "o", "--random-init"}))
                .hasMessage("Option --random-init needs a value (tiny|base)");
        assertThatThrownBy(() -> ModelExport.parse(new String[] {"--random-init", "large", "--out", "o"}))
                .hasMessage("Option --random-init must be one of tiny, base, got large");
    }

    @Test
    void aCheckpointNeedsAllFourFilesAndRandomInitNone() {
        ExportRequest request = ModelExport.parse(new String[] {"--model", "m.bin", "--encoder", "e.bin", "--config", "c.json",
                "--model-config", "mc.json", "--out", "o"});
        assertThat(request.isRandomInit()).isFalse();
        assertThat(request.modelConfig()).isEqualTo(Path.of("mc.json"));
        assertThatThrownBy(() -> ModelExport.parse(new String[] {"--model", "m.bin", "--out", "o"}))
                .hasMessage("Option --encoder is required");
        assertThatThrownBy(() -> ModelExport.parse(new String[] {"--out", "o"}))
                .hasMessageContaining("--random-init tiny|base");
        assertThatThrownBy(() -> ModelExport.parse(new String[] {"--random-init", "tiny", "--model", "m.bin", "--out", "o"}))
                .hasMessageContaining("takes no checkpoint files, got --model");
        assertThatThrownBy(() -> ModelExport.parse(new String[] {"--random-init", "tiny"}))
                .hasMessage("Option --out is required");
    }

    @Test
    void helpWorksAtEveryLevelAndEachCommandListsItsOwnOptions() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out).startsWith("Usage: maf-stream export").contains("--random-init tiny|base", "--model-config FILE")
                .contains("train ", "fine-tune ", "assemble ");
        assertThat(run("assemble", "--help")).isZero();
        assertThat(out).startsWith("Usage: maf-stream assemble").contains("--heads DIR", "--bert-cache DIR")
                .doesNotContain("--random-init");
        assertThat(run("train", "--help")).isZero();
        assertThat(out).startsWith("Usage: maf-stream train").contains("--patience N").doesNotContain("--rank");
        assertThat(run("fine-tune", "-h")).isZero();
        assertThat(out).startsWith("Usage: maf-stream fine-tune").contains("--rank N", "--mode lora|full", "--resume");
        assertThat(err).isEmpty();
    }

    @Test
    void unknownOptionsAreRefusedAtEveryLevelWithStatusTwo() throws Exception {
        assertThat(run("--size", "tiny")).isEqualTo(2);
        assertThat(err).startsWith("model-export: Unknown option --size. Known options: --model, --encoder")
                .contains("Run with --help");
        assertThat(out).isEmpty();
        assertThat(run("assemble", "--out", "o", "--bogus", "x")).isEqualTo(2);
        assertThat(err).startsWith("model-export assemble: Unknown option --bogus. Known options: --out, --heads");
        assertThat(run("assemble", "--help", "x")).isZero(); // help wins
        assertThat(run("fine-tune", "--train", "t", "--valid", "v", "--out", "o", "--epoch", "1")).isEqualTo(2);
        assertThat(err).contains("Unknown option --epoch.", "--epochs");
        assertThat(err).doesNotContain("Exception", "\tat ");
    }
}
