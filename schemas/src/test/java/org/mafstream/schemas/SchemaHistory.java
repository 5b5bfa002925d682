package org.mafstream.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The committed versions of one schema, {@code history/<Name>/v1.avsc, v2.avsc, ...}, and the
 * rule they must keep: every version reads data written with every earlier one (Avro
 * BACKWARD_TRANSITIVE, as a schema registry would enforce).
 */
final class SchemaHistory {
    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    final String name;
    final List<Schema> versions;

    private SchemaHistory(String name, List<Schema> versions) {
        this.name = name;
        this.versions = versions;
    }

    static SchemaHistory load(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> VERSION_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(SchemaHistory::versionOf))
                    .toList();
        }
        List<Schema> versions = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (versionOf(files.get(i)) != i + 1) {
                throw new IllegalStateException(dir + ": versions must be v1..vN without gaps, found " + files);
            }
            versions.add(parse(files.get(i)));
        }
        return new SchemaHistory(dir.getFileName().toString(), versions);
    }

    static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(file.toFile());
    }

    Schema latest() {
        return versions.get(versions.size() - 1);
    }

    /** Problems with {@code candidate} as the next version; empty when it may be added. */
    static List<String> backwardProblems(Schema candidate, List<Schema> earlier) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < earlier.size(); i++) {
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(candidate, earlier.get(i));
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                for (SchemaCompatibility.Incompatibility problem : result.getResult().getIncompatibilities()) {
                    problems.add("cannot read data written with v" + (i + 1) + ": " + problem.getType()
                            + " at " + problem.getLocation() + " (" + problem.getMessage() + ")");
                }
            }
        }
        return problems;
    }

    private static int versionOf(Path file) {
        Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file.toString());
        }
        return Integer.parseInt(m.group(1));
    }
}
