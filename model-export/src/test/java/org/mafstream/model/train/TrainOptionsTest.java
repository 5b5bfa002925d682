package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mafstream.cli.ToolCommandLine.UsageException;

class TrainOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        TrainOptions options = TrainOptions.parse(new String[] {"--train", "t.txt", "--valid", "v.txt", "--out", "runs/heads"});

        assertThat(options.train()).isEqualTo(Path.of("t.txt"));
        assertThat(options.valid()).isEqualTo(Path.of("v.txt"));
        assertThat(options.test()).isNull();
        assertThat(options.vocab()).isNull();
        assertThat(options.cache()).isEqualTo(Path.of("runs/features-cache").toAbsolutePath());
        assertThat(options.settings()).isEqualTo(TrainerSettings.DEFAULTS);
        assertThat(options.settings()).isEqualTo(new TrainerSettings(42, 60, 8, 2e-3, 32, 0));
        assertThat(options.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void readsEveryOption() {
        TrainOptions options = TrainOptions.parse(new String[] {"--train", "a", "--valid", "b", "--test", "c", "--out", "d",
                "--cache", "e", "--vocab", "f", "--seed", "12345678901", "--epochs", "5", "--patience", "2", "--lr", "1e-3",
                "--batch", "8", "--l2", "0.01", "--threads", "3"});

        assertThat(options.test()).isEqualTo(Path.of("c"));
        assertThat(options.cache()).isEqualTo(Path.of("e"));
        assertThat(options.vocab()).isEqualTo(Path.of("f"));
        assertThat(options.settings()).isEqualTo(new TrainerSettings(12345678901L, 5, 2, 1e-3, 8, 0.01));
        assertThat(options.threads()).isEqualTo(3);
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> TrainOptions.parse(new String[] {"--train", "a", "--valid", "b"}))
                .isInstanceOf(UsageException.class).hasMessage("Option --out is required");
        assertThatThrownBy(() -> TrainOptions.parse(new String[] {"--train", "a", "--valid", "b", "--out", "c", "--bogus"}))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("Unknown option --bogus. Known options: --train, --valid, --test, --out, --cache");
        assertThatThrownBy(() -> TrainOptions.parse(new String[] {"--train", "a", "--valid", "b", "--out"}))
                .hasMessage("Option --out needs a value (DIR)");
        assertThatThrownBy(() -> TrainOptions.parse(new String[] {"--train", "a", "--valid", "b", "--out", "c", "--epochs", "x"}))
                .hasMessage("Option --epochs must be an integer, got x");
        assertThatThrownBy(() -> TrainOptions.parse(new String[] {"--train", "a", "--valid", "b", "--out", "c", "--lr", "-1"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("lr > 0");
        assertThatThrownBy(() -> TrainOptions.parse(new String[] {"--train", "a", "--train", "b"}))
                .hasMessage("Option --train is given more than once");
        assertThatThrownBy(() -> TrainOptions.parse(new String[] {"--train", "a", "--valid", "b", "--out", "c", "--threads", "0"}))
                .hasMessage("Option --threads must be >= 1, got 0");
        assertThatThrownBy(() -> TrainOptions.parse(new String[] {"--train", "a", "--valid", "b", "--out", "c", "extra"}))
                .hasMessageContaining("Unexpected argument extra");
    }

    @Test
    void helpNeedsNothingElse() {
        assertThat(TrainOptions.COMMAND_LINE.parse(new String[] {"--help"}).helpRequested()).isTrue();
        assertThat(TrainOptions.COMMAND_LINE.parse(new String[] {"--out", "x", "-h"}).helpRequested()).isTrue();
    }
}
