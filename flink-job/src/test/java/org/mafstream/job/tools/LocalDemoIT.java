package org.mafstream.job.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo, as CI runs it: bounded, on its own in-JVM Kafka, its output checked. */
class LocalDemoIT {

    @Test
    void theDemoAnnotatesEveryPostAndDeadLettersThePoison() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            status = LocalDemo.run(new String[0], out);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);

        assertThat(status).as(output).isZero();
        assertThat(output).contains("UNTRAINED MODEL")
                .contains("Summary: 33 records in -> 30 annotations")
                .contains("+ 3 dead letters")
                .contains("BLOCKED=1", "FETCH_FAILED=1", "NO_IMAGE=9", "OK=18", "UNSUPPORTED_TYPE=1")
                .contains("poison-json", "BAD_MAGIC_BYTE", "poison-truncated", "CORRUPT_AVRO", "UNKNOWN_SCHEMA_ID");
        for (int i = 1; i <= 30; i++) {
            assertThat(output).contains(String.format("demo-%02d ", i));
        }
    }
}
