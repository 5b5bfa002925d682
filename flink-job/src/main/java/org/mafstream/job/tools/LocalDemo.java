package org.mafstream.job.tools;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.mafstream.job.JobConfig;
import org.mafstream.job.JobOptions;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.schemas.Post;
import org.mafstream.schemas.PostAnnotations;

/**
 * The one-command demo: an in-JVM Kafka, an in-memory schema registry and a local Flink run the
 * real job graph over a few sample posts (and one corrupt record), then print what came out.
 */
public final class LocalDemo {
    private static final String REGISTRY = "mock://local-demo";
    private static final String INPUT = "posts";
    private static final String OUTPUT = "post-annotations";
    private static final String DEAD_LETTERS = "posts.dlq";

    private static final List<String> SAMPLE_TEXTS = List.of(
            "Kevin Durant and Stephen Curry warm up at Oracle Arena before Game 1 #NBAFinals",
            "RT @NASA : Watch the launch live from Cape Canaveral tonight",
            "Taylor Swift surprises fans in London with an acoustic set 🎸",
            "Apple unveils the new iPhone in Cupertino",
            "Snow day in 東京 ❄️ trains delayed on the Yamanote line",
            "Just finished reading The Hobbit again .");

    private LocalDemo() {}

    public static void main(String[] args) throws Exception {
        banner();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, INPUT, OUTPUT, DEAD_LETTERS);
            int produced = produceSamples(kafka.bootstrapServers());

            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.REGISTRY_URL, REGISTRY);
            conf.set(JobOptions.MODEL_BUNDLE, DemoModel.bundle(args).toString());
            conf.set(JobOptions.STOP_AT_LATEST, true);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
            MafStreamJob.build(env, JobConfig.from(conf));
            env.execute("maf-stream local demo");

            printResults(kafka.bootstrapServers(), produced);
        }
    }

    private static void banner() {
        System.out.println("""
                ==============================================================================
                 maf-stream local demo: in-JVM Kafka (KRaft), in-memory schema registry, local Flink
                 Model: NONE YET. Image fetching and MAF inference are not built (see README.md),
                 so this run shows the Kafka -> Flink -> Kafka path only: one annotation record
                 per post with no entities and modelVersion=null, and the dead-letter topic.
                ==============================================================================""");
    }

    private static int produceSamples(String bootstrapServers) {
        try (PostProducer producer = new PostProducer(bootstrapServers, INPUT, REGISTRY)) {
            for (int i = 0; i < SAMPLE_TEXTS.size(); i++) {
                Post post = Post.newBuilder()
                        .setPostId("demo-" + i)
                        .setText(SAMPLE_TEXTS.get(i))
                        .setImageUrl(i % 2 == 0 ? "https://images.example.com/" + i + ".jpg" : null)
                        .setEventTime(Instant.now())
                        .setAttributes(Map.of("source", "local-demo"))
                        .build();
                producer.send(post);
            }
            // Not Confluent-framed Avro: shows the dead-letter path.
            producer.sendRaw("demo-corrupt".getBytes(StandardCharsets.UTF_8),
                    "{\"text\":\"JSON is not Avro\"}".getBytes(StandardCharsets.UTF_8));
            System.out.printf("Produced %d posts and 1 corrupt record to '%s'.%n", SAMPLE_TEXTS.size(), INPUT);
            return SAMPLE_TEXTS.size() + 1;
        }
    }

    private static void printResults(String bootstrapServers, int produced) {
        Annotations annotations = new Annotations(REGISTRY);
        List<ConsumerRecord<byte[], byte[]>> out = CommittedTopicReader.read(
                bootstrapServers, OUTPUT, SAMPLE_TEXTS.size(), Duration.ofSeconds(30), Duration.ZERO);
        System.out.printf("%n'%s' (read_committed): %d records%n", OUTPUT, out.size());
        for (ConsumerRecord<byte[], byte[]> record : out) {
            PostAnnotations a = annotations.decode(record.value());
            System.out.printf("  %-8s image=%-8s entities=%s model=%s queue=%sms%n", a.getPostId(),
                    a.getImageStatus(), a.getEntities(), a.getModelVersion(), a.getTimings().getQueueMillis());
        }
        List<ConsumerRecord<byte[], byte[]>> dead = CommittedTopicReader.read(
                bootstrapServers, DEAD_LETTERS, 1, Duration.ofSeconds(30), Duration.ZERO);
        System.out.printf("%n'%s': %d records%n", DEAD_LETTERS, dead.size());
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            System.out.printf("  %s reason=%s: %s%n", new String(record.key(), StandardCharsets.UTF_8),
                    header(record, DeadLetter.REASON), header(record, DeadLetter.ERROR_MESSAGE));
        }
        System.out.printf("%nIn: %d records. Out: %d annotations + %d dead letters.%n", produced, out.size(), dead.size());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
