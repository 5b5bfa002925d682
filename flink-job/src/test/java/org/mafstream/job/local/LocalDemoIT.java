package org.mafstream.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mafstream.model.export.TrainedTextModel;

/**
 * The README's demo, as CI runs it: bounded, on its own in-JVM Kafka, its output checked. Its
 * default model is the trained text-only MAF, so the entities are checked too, on names whose
 * types are facts (the model finds these with confidence above 0.95).
 */
public class LocalDemoIT {

    @Test
    void theDemoAnnotatesEveryPostAndDeadLettersThePoison() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ByteArrayOutputStream stray = new ByteArrayOutputStream(); // what anything else prints
        PrintStream stdout = System.out;
        int status;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(new PrintStream(stray, true, StandardCharsets.UTF_8));
            status = LocalDemo.run(new String[0], out, out);
        } finally {
            System.setOut(stdout);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(stray.toString(StandardCharsets.UTF_8)).as("printed around the demo's own output")
                .doesNotContain("Bootstrap metadata", "Formatting metadata directory");
        assertThat(output).contains(" Device: CPU (");

        assertThat(status).as(output).isZero();
        assertThat(output).doesNotContain("UNTRAINED")
                .contains(TrainedTextModel.FINE_TUNED_SUMMARY + "; Twitter-2017 test F1 ")
                .contains("Image branch disabled")
                .contains("PER  \"Taylor Swift\"", "PER  \"Lionel Messi\"", "PER  \"Angela Merkel\"",
                        "LOC  \"London\"", "LOC  \"Berlin\"", "ORG  \"Real Madrid\"")
                .contains("Summary: 33 records in -> 30 annotations")
                .contains("+ 3 dead letters")
                .contains("BLOCKED=1", "FETCH_FAILED=1", "NO_IMAGE=9", "OK=18", "UNSUPPORTED_TYPE=1")
                .contains("poison-json", "BAD_MAGIC_BYTE", "poison-truncated", "CORRUPT_AVRO", "UNKNOWN_SCHEMA_ID");
        for (int i = 1; i <= 30; i++) {
            assertThat(output).contains(String.format("demo-%02d ", i));
        }
    }
}
