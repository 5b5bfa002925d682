package org.mafstream.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The deployment files of the repository, and the build facts they must agree with. */
final class DeploymentFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Where the Dockerfile puts the job jar, and so where every launcher must find it. */
    static final String JOB_JAR_IN_IMAGE = "/opt/flink/usrlib/maf-stream-job.jar";
    static final String MODEL_IN_IMAGE = "/opt/maf/model";

    private DeploymentFiles() {}

    static Path repo() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    static String flinkVersion() {
        return System.getProperty("flink.version", "2.2.1");
    }

    static String kafkaVersion() {
        return System.getProperty("kafka.version", "4.2.0");
    }

    static String projectVersion() {
        return System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    static JsonNode yaml(String relativePath) throws IOException {
        return YAML.readTree(repo().resolve(relativePath).toFile());
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    /** The value following {@code option} in an argument list. */
    static String argument(List<String> args, String option) {
        int i = args.indexOf(option);
        if (i < 0 || i + 1 >= args.size()) {
            throw new AssertionError(option + " not in " + args);
        }
        return args.get(i + 1);
    }
}
