package org.mafstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Guards the wire contract: a schema in {@code src/main/avro} must equal the newest version in
 * {@code history/<Name>/}, and every version must read all earlier ones. To change a schema, add
 * it as the next {@code vN.avsc}; this test then says whether old data stays readable.
 */
class SchemaCompatibilityTest {
    private static final Path SCHEMAS = Path.of(System.getProperty("schemas.dir", "src/main/avro"));
    private static final Path HISTORY = Path.of(System.getProperty("history.dir", "history"));

    static Stream<Path> currentSchemas() throws IOException {
        return Files.list(SCHEMAS).filter(p -> p.toString().endsWith(".avsc")).sorted();
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void currentSchemaIsTheNewestCommittedVersion(Path current) throws IOException {
        String name = current.getFileName().toString().replace(".avsc", "");
        Path dir = HISTORY.resolve(name);
        assertThat(dir).as("history directory for %s", name).isDirectory();
        SchemaHistory history = SchemaHistory.load(dir);
        assertThat(SchemaHistory.parse(current))
                .as("%s differs from %s/v%d.avsc: add it to the history as the next version",
                        current, dir, history.versions.size())
                .isEqualTo(history.latest());
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void everyVersionReadsAllEarlierVersions(Path current) throws IOException {
        SchemaHistory history = SchemaHistory.load(HISTORY.resolve(current.getFileName().toString().replace(".avsc", "")));
        for (int v = 1; v < history.versions.size(); v++) {
            assertThat(SchemaHistory.backwardProblems(history.versions.get(v), history.versions.subList(0, v)))
                    .as("%s v%d", history.name, v + 1)
                    .isEmpty();
        }
    }

    @Test
    void generatedClassesMatchTheSchemaFiles() throws IOException {
        assertThat(PortableSchemas.post()).isEqualTo(SchemaHistory.parse(SCHEMAS.resolve("Post.avsc")));
        assertThat(PortableSchemas.postAnnotations())
                .isEqualTo(SchemaHistory.parse(SCHEMAS.resolve("PostAnnotations.avsc")));
    }

    /** The check itself must be able to fail: these are the changes it has to refuse. */
    @Test
    void refusesChangesThatBreakOldData() {
        Schema v1 = PortableSchemas.post();
        Schema requiredFieldWithoutDefault = withExtraField(v1, "{\"name\":\"source\",\"type\":\"string\"}");
        Schema optionalFieldWithDefault = withExtraField(v1, "{\"name\":\"source\",\"type\":[\"null\",\"string\"],\"default\":null}");

        assertThat(SchemaHistory.backwardProblems(requiredFieldWithoutDefault, List.of(v1)))
                .singleElement().asString().contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("source");
        assertThat(SchemaHistory.backwardProblems(optionalFieldWithDefault, List.of(v1))).isEmpty();

        Schema textAsInt = new Schema.Parser().parse(v1.toString().replace(
                "{\"name\":\"text\",\"type\":\"string\"", "{\"name\":\"text\",\"type\":\"int\""));
        assertThat(SchemaHistory.backwardProblems(textAsInt, List.of(v1))).singleElement().asString().contains("TYPE_MISMATCH");
    }

    private static Schema withExtraField(Schema schema, String fieldJson) {
        String json = schema.toString();
        return new Schema.Parser().parse(json.substring(0, json.length() - 2) + "," + fieldJson + "]}");
    }
}
