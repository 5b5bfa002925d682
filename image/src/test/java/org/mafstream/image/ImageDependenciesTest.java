package org.mafstream.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module stays light enough for both the job and the trainer: no Avro, Flink, Kafka, schemas
 * or TensorFlow on its class path, and its code uses no other maf-stream package.
 */
class ImageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/org/mafstream/image");
    private static final Pattern REFERENCE = Pattern.compile("org\\.mafstream\\.(\\w+)");

    @Test
    void neitherAvroFlinkKafkaTheSchemasNorTensorFlowIsOnThisModulesClassPath() {
        for (String foreign : List.of("org.apache.avro.Schema", "org.apache.flink.api.common.functions.Function",
                "org.apache.kafka.clients.consumer.Consumer", "org.mafstream.schemas.ImageStatus",
                "ai.djl.engine.Engine", "org.tensorflow.Graph")) {
            assertThatThrownBy(() -> Class.forName(foreign)).as(foreign).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void itsCodeUsesNoOtherMafStreamPackage() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher reference = REFERENCE.matcher(Files.readString(file));
                while (reference.find()) {
                    if (!reference.group(1).equals("image")) {
                        violations.add(SOURCES.relativize(file) + " uses org.mafstream." + reference.group(1));
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
