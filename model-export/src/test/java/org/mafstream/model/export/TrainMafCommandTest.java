package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.testing.Fixtures;

/** train-maf's refusals: where to start from, and an absent image directory, before any training. */
class TrainMafCommandTest {
    @TempDir
    Path dir;

    @Test
    void aStartMustBeEitherACheckpointOrPretrainedWeights() throws Exception {
        Path posts = Files.writeString(dir.resolve("posts.txt"), "IMGID:a\nParis\tB-LOC\n\n");
        String[] neither = {"train-maf", "--train", posts.toString(), "--valid", posts.toString(), "--images", dir.toString(),
                "--out", dir.resolve("out").toString()};
        Run run = run(neither);
        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("--init DIR").contains("--resnet FILE");

        String[] both = {"train-maf", "--train", posts.toString(), "--valid", posts.toString(), "--images", dir.toString(),
                "--out", dir.resolve("out").toString(), "--init", Fixtures.mafTiny().toString(), "--resnet", "x.pth"};
        assertThat(run(both).status).isEqualTo(2);
    }

    @Test
    void anAbsentImageDirectoryIsNamedWithItsOption() throws Exception {
        Path posts = Files.writeString(dir.resolve("posts.txt"), "IMGID:a\nParis\tB-LOC\n\n");
        Run run = run(new String[] {"train-maf", "--train", posts.toString(), "--valid", posts.toString(),
                "--images", dir.resolve("no-such-images").toString(), "--init", Fixtures.mafTiny().toString(),
                "--out", dir.resolve("out").toString()});
        assertThat(run.status).isEqualTo(1);
        assertThat(run.err).contains("no-such-images").contains("--images");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private record Run(int status, String out, String err) {}

    private static Run run(String[] args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ModelExport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
