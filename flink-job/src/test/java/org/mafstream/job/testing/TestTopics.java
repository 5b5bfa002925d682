package org.mafstream.job.testing;

import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.mafstream.job.JobOptions;

/** A fresh set of topic names and a private mock registry scope per test, on the shared broker. */
public record TestTopics(String input, String output, String deadLetter, String registryUrl) {

    public static TestTopics unique(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new TestTopics(id + "-posts", id + "-annotations", id + "-posts.dlq", "mock://" + id);
    }

    public void create(SharedKafka kafka, int partitions) throws Exception {
        kafka.kafka().createTopics(partitions, input, output, deadLetter);
    }

    /** Job options for these topics; the test adds what it varies. */
    public Configuration jobConfiguration(SharedKafka kafka) {
        Configuration conf = new Configuration();
        conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(JobOptions.INPUT_TOPIC, input);
        conf.set(JobOptions.OUTPUT_TOPIC, output);
        conf.set(JobOptions.REGISTRY_URL, registryUrl);
        conf.set(JobOptions.GROUP_ID, input + "-job");
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, input);
        conf.set(JobOptions.MODEL_BUNDLE, TinyBundle.path().toString());
        return conf;
    }
}
