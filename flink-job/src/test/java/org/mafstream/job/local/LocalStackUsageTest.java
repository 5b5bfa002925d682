package org.mafstream.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.mafstream.job.cli.ToolRun;
import org.mafstream.job.testing.TinyBundle;

/** The local stack's command line: help, and what it refuses before or while starting. */
public class LocalStackUsageTest {

    private static ToolRun local(String... args) {
        return ToolRun.of((arguments, in, out, err) -> LocalStack.run(arguments, out, err, StopSignal.manual()), "", args);
    }

    @Test
    void helpListsThePortsTheModelAndTheLocalOnlyRegistry() {
        ToolRun run = local("--help");

        assertThat(run.exitStatus()).isZero();
        assertThat(run.out()).startsWith("Usage: local")
                .contains("--kafka-port", "(default 9092)", "--registry-port", "(default 8081)", "--image-port",
                        "--web-ui-port", "(default 8082)", "--model DIR", "--random-init tiny|base",
                        "for local use only");
    }

    @Test
    void unknownOptionsAndBadValuesAreRefused() {
        ToolRun unknown = local("--kafka-prot", "9092");
        assertThat(unknown.exitStatus()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option --kafka-prot. Known options: --kafka-port,");

        assertThat(local("--registry-port", "65536").err()).contains("--registry-port must be a port, 0 to 65535");
        assertThat(local("--web-ui-port", "eighty").err()).contains("--web-ui-port must be a port");
        assertThat(local("--image-port", "9092").err()).contains("--kafka-port and --image-port are both 9092");
        assertThat(local("--random-init", "huge").err()).contains("--random-init must be one of tiny, base, got huge");
        assertThat(local("--model", "no/such/dir").err()).contains("--model no/such/dir is not a model bundle");
        assertThat(local("--parallelism", "0").err()).contains("--parallelism must be a positive integer");
    }

    @Test
    void aTakenPortIsReportedWithTheOptionThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ToolRun run = local("--kafka-port", Integer.toString(taken.getLocalPort()),
                    "--model", TinyBundle.path().toString());

            assertThat(run.exitStatus()).isEqualTo(2);
            assertThat(run.err()).contains("cannot start Kafka on localhost:" + taken.getLocalPort(),
                    "choose another with --kafka-port");
            assertThat(run.out()).doesNotContain(StackGuide.READY);
        }
    }
}
