package org.mafstream.job.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.mafstream.cli.InstallDirectory;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.job.JobConfig;
import org.mafstream.job.JobOptions;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.cli.Annotations;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.cli.PostProducer;
import org.mafstream.job.io.ConfluentWireFormat;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.schemas.Post;
import org.mafstream.schemas.PostAnnotations;

/**
 * The one-command demo: in one JVM, an in-JVM Kafka, the in-memory schema registry, a local
 * image server and a local Flink run the real job over sample posts (and a few poison records),
 * then print every annotation readably and a summary. The model is the trained text-only MAF
 * unless {@code --model DIR} or {@code --random-init tiny|base} says otherwise ({@link DemoModel}).
 */
public final class LocalDemo {
    private static final String REGISTRY = "mock://local-demo";
    private static final String INPUT = "posts";
    private static final String OUTPUT = "post-annotations";
    private static final String DEAD_LETTERS = "posts.dlq";
    /** Inside the installation, so that the demo runs the same from any directory. */
    static final String DEFAULT_POSTS = "flink-job/src/demo/posts.jsonl";

    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream demo [options]",
            """
            The one-command demo: in one JVM, a single-node KRaft Kafka, the in-memory schema
            registry, a local image server and a local Flink run the real job graph over sample
            posts and 3 poison records, then print each annotation, the dead letters and a summary.
            The default model is the project's trained text-only MAF, assembled under
            flink-job/target/models on the first run (under a minute).
            Exit status: 0 every record came out as one annotation or one dead letter, 1 not,
            2 could not run.""",
            Stream.concat(Stream.of(Option.value("posts", "FILE",
                    "JSON Lines posts (postId, text, imageUrl with {images} for the local server; default "
                            + DEFAULT_POSTS + " of the installation)")), DemoModel.options().stream()).toList());

    private LocalDemo() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    private record Settings(Path posts, DemoModel.Choice model) {
        static Settings from(Parsed args) {
            Path posts = args.path("posts").orElse(InstallDirectory.resolve(LocalDemo.class, DEFAULT_POSTS));
            if (!Files.isRegularFile(posts)) {
                throw new UsageException("no such posts file: " + posts + " (" + posts.toAbsolutePath() + ")");
            }
            return new Settings(posts, DemoModel.Choice.from(args));
        }
    }

    /** Runs the demo; 0 when every record came out as one annotation or one dead letter. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("demo", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Path postsFile = startup.settings().posts();
        Path bundle = DemoModel.bundle(startup.settings().model(), out);
        BundleManifest manifest = BundleManifest.read(bundle);
        banner(out, manifest);
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             LocalImageServer images = LocalImageServer.start(Duration.ZERO)) {
            kafka.createTopics(2, INPUT, OUTPUT, DEAD_LETTERS);
            Map<String, String> texts = new LinkedHashMap<>();
            int produced = produce(kafka.bootstrapServers(), postsFile, images.baseUrl(), texts);
            out.printf("Produced %d posts and 3 poison records to '%s'; images from %s%n%n", texts.size(), INPUT, images.baseUrl());

            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.REGISTRY_URL, REGISTRY);
            conf.set(JobOptions.MODEL_BUNDLE, bundle.toString());
            conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(images.allowListEntry()));
            conf.set(JobOptions.STOP_AT_LATEST, true);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
            MafStreamJob.build(env, JobConfig.from(conf));
            long start = System.nanoTime();
            env.execute("maf-stream local demo");
            double seconds = (System.nanoTime() - start) / 1e9;

            return report(out, kafka.bootstrapServers(), texts, produced, seconds);
        }
    }

    private static void banner(PrintStream out, BundleManifest manifest) {
        out.println("==============================================================================");
        out.println(" maf-stream local demo: in-JVM Kafka (KRaft), in-memory schema registry,");
        out.println(" local image server, local Flink, the real job graph.");
        DemoModel.describe(out, manifest);
        out.println("==============================================================================");
    }

    private static int produce(String bootstrapServers, Path postsFile, String imageBase, Map<String, String> texts)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (PostProducer producer = new PostProducer(bootstrapServers, INPUT, REGISTRY)) {
            for (String line : Files.readAllLines(postsFile)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                Post post = Post.newBuilder()
                        .setPostId(node.get("postId").asText())
                        .setText(node.get("text").asText())
                        .setImageUrl(node.has("imageUrl") ? node.get("imageUrl").asText().replace("{images}", imageBase) : null)
                        .setEventTime(Instant.now())
                        .setAttributes(Map.of("source", "local-demo"))
                        .build();
                producer.send(post);
                texts.put(post.getPostId(), post.getText());
            }
            byte[] valid = producer.encode(Post.newBuilder().setPostId("x").setText("x").setEventTime(Instant.now()).build());
            producer.sendRaw(bytes("poison-json"), bytes("{\"text\":\"JSON is not Avro\"}"));
            producer.sendRaw(bytes("poison-truncated"), java.util.Arrays.copyOf(valid, valid.length - 3));
            producer.sendRaw(bytes("poison-unknown-schema"), ConfluentWireFormat.frame(4242,
                    java.util.Arrays.copyOfRange(valid, ConfluentWireFormat.HEADER_LENGTH, valid.length)));
            return texts.size() + 3;
        }
    }

    private static int report(PrintStream out, String bootstrapServers, Map<String, String> texts, int produced,
                              double seconds) {
        Annotations annotations = new Annotations(REGISTRY);
        List<ConsumerRecord<byte[], byte[]>> records = CommittedTopicReader.read(
                bootstrapServers, OUTPUT, texts.size(), Duration.ofSeconds(60), Duration.ZERO);
        Map<String, PostAnnotations> byId = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PostAnnotations a = annotations.decode(record.value());
            byId.put(a.getPostId(), a);
        }
        Map<String, Integer> statuses = new TreeMap<>();
        int entities = 0;
        for (PostAnnotations a : byId.values()) {
            DemoReport.print(out, a, texts);
            statuses.merge(a.getImageStatus().name(), 1, Integer::sum);
            entities += a.getEntities().size();
        }
        List<ConsumerRecord<byte[], byte[]>> dead = CommittedTopicReader.read(
                bootstrapServers, DEAD_LETTERS, 3, Duration.ofSeconds(30), Duration.ZERO);
        out.printf("%nDead letters in '%s':%n", DEAD_LETTERS);
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            out.printf("  %-22s %s%n", new String(record.key(), StandardCharsets.UTF_8), header(record, DeadLetter.ERROR_MESSAGE));
        }
        out.printf("%nSummary: %d records in -> %d annotations (%d entities) + %d dead letters; image status %s;%n"
                        + "         job ran %.1f s (%.1f records/s, start-up and model load included)%n",
                produced, records.size(), entities, dead.size(), statuses, seconds, produced / seconds);
        return records.size() + dead.size() == produced && byId.size() == records.size() ? 0 : 1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
