package org.mafstream.job.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.job.JobConfig;
import org.mafstream.job.JobOptions;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.cli.Annotations;
import org.mafstream.job.cli.PostProducer;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.local.DemoModel;
import org.mafstream.job.local.EmbeddedKafka;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.schemas.Post;
import org.mafstream.schemas.PostAnnotations;

/**
 * A bounded soak: posts produced at a fixed rate for a fixed time into the whole job (in-JVM
 * Kafka, local image server, exactly-once), then drained until every post has come out (or
 * nothing has for {@code --drain-idle}). Every 5 s it prints throughput, backlog (produced but
 * not yet out: the back-pressure keeps it in Kafka), end-to-end latency percentiles, heap, RSS
 * and checkpoint sizes from Flink's statistics; at the end, the accounting: every post annotated
 * exactly once, dead letters by reason. Exit status 1 on any mismatch, duplicate or dead letter
 * (every soak post is valid).
 *
 * <pre>bin/maf-stream soak --rate 60 --duration 60s</pre>
 */
public final class SoakRun {
    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream soak [options]",
            """
            A bounded soak of the whole job (in-JVM Kafka, local image server, exactly-once): posts
            at --rate for --duration, then drained until every post is out or none has come out
            for --drain-idle. Every 5 s: throughput, backlog, latency percentiles, heap, RSS and
            checkpoint sizes; at the end the accounting, with dead letters by reason.
            Exit status: 0 every post annotated exactly once and none dead-lettered, 1 not,
            2 could not run.""",
            Stream.concat(Stream.of(
                    Option.value("rate", "POSTS_PER_S", "posts produced per second (default 60)"),
                    Option.value("duration", "DURATION", "how long to produce, e.g. 60s, 5m (default 60s)"),
                    Option.value("drain-idle", "DURATION",
                            "give up draining after this long without output (default 120s)")),
                    DemoModel.options().stream()).toList());

    private SoakRun() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    private record Settings(double rate, Duration duration, Duration drainIdle, DemoModel.Choice model) {
        static Settings from(Parsed args) {
            return new Settings(args.positiveNumber("rate").orElse(60.0),
                    args.positiveDuration("duration").orElse(Duration.ofSeconds(60)),
                    args.positiveDuration("drain-idle").orElse(Duration.ofSeconds(120)), DemoModel.Choice.from(args));
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("soak", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        double rate = startup.settings().rate();
        Duration duration = startup.settings().duration();
        Duration drainIdle = startup.settings().drainIdle();
        Path bundle = DemoModel.bundle(startup.settings().model(), out);
        out.printf("soak: %.0f posts/s for %s, bundle %s%n", rate, duration, bundle);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(); LocalImageServer images = LocalImageServer.start(Duration.ZERO)) {
            kafka.createTopics(2, "posts", "post-annotations", "posts.dlq");
            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.REGISTRY_URL, "mock://soak");
            conf.set(JobOptions.MODEL_BUNDLE, bundle.toString());
            conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(images.allowListEntry()));
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            int restPort = CheckpointSizes.freePort();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2,
                    CheckpointSizes.withRestPort(restPort));
            MafStreamJob.build(env, JobConfig.from(conf));
            JobClient job = env.executeAsync("soak");
            CheckpointSizes checkpoints = new CheckpointSizes(restPort, job.getJobID().toHexString());

            Outputs outputs = new Outputs(kafka.bootstrapServers());
            Thread reader = new Thread(() -> {
                try {
                    outputs.read();
                } catch (RuntimeException e) {
                    e.printStackTrace(out);
                }
            }, "soak-reader");
            reader.setDaemon(true);
            reader.start();

            long produced = 0;
            long start = System.nanoTime();
            long nextReport = start + Duration.ofSeconds(5).toNanos();
            try (PostProducer producer = new PostProducer(kafka.bootstrapServers(), "posts", "mock://soak")) {
                while (System.nanoTime() - start < duration.toNanos()) {
                    long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                    for (; produced < due; produced++) {
                        Post post = Post.newBuilder().setPostId("soak-" + produced)
                                .setText("Post " + produced + " : Kevin Durant and Stephen Curry at Oracle Arena")
                                .setImageUrl(images.baseUrl() + "/soak-" + (produced % 50) + ".jpg")
                                .setEventTime(Instant.now()).build();
                        producer.sendAsync(post);
                    }
                    if (System.nanoTime() >= nextReport) {
                        report(out, start, produced, outputs, checkpoints);
                        out.println("  job: " + job.getJobStatus().get());
                        nextReport += Duration.ofSeconds(5).toNanos();
                    }
                    Thread.sleep(5);
                }
                producer.flush();
            }
            out.printf("producing stopped after %d posts; draining until all are out (or none for %s) ...%n",
                    produced, drainIdle);
            long lastTotal = -1;
            long lastProgress = System.nanoTime();
            while (outputs.total() < produced && System.nanoTime() - lastProgress < drainIdle.toNanos()) {
                Thread.sleep(5000);
                report(out, start, produced, outputs, checkpoints);
                if (outputs.total() != lastTotal) {
                    lastTotal = outputs.total();
                    lastProgress = System.nanoTime();
                }
            }
            job.cancel().get();
            return account(out, produced, outputs, checkpoints);
        }
    }

    /** Every post out exactly once as an annotation, none dead-lettered: 0; anything else: 1. */
    private static int account(PrintStream out, long produced, Outputs outputs, CheckpointSizes checkpoints) {
        long annotated = outputs.annotatedPosts.size();
        boolean ok = annotated == produced && outputs.duplicates.get() == 0 && outputs.deadLetters.get() == 0;
        out.printf("accounting: %d in = %d annotated + %d dead letters; %d duplicate annotations (%s)%n", produced, annotated,
                outputs.deadLetters.get(), outputs.duplicates.get(), ok ? "every post annotated exactly once" : "MISMATCH");
        outputs.deadLettersByReason.forEach((reason, n) -> out.printf("  dead letters %s: %d%n", reason, n.get()));
        out.printf("checkpoints: %d completed; largest state of one subtask %d bytes%n",
                checkpoints.completed(), checkpoints.largestSubtaskBytes());
        return ok ? 0 : 1;
    }

    private static void report(PrintStream out, long start, long produced, Outputs outputs, CheckpointSizes checkpoints)
            throws Exception {
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> latencies = outputs.latencies();
        checkpoints.poll();
        out.printf("t=%5.0fs produced %6d annotated %6d (%.1f/s) backlog %5d dead %d  latency p50 %6d p95 %6d p99 %6d ms"
                        + "  heap %4d MB  RSS %5d MB  checkpoints %d (latest %d KB, largest subtask %d KB)%n",
                seconds, produced, outputs.annotations.get(), outputs.annotations.get() / seconds,
                produced - outputs.total(), outputs.deadLetters.get(),
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20, rssMegabytes(),
                checkpoints.completed(), checkpoints.latestBytes() >> 10, checkpoints.largestSubtaskBytes() >> 10);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    private static long rssMegabytes() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
                .findFirst().orElse(-1);
    }

    /** Reads the annotations (read_committed) and dead letters as they are committed. */
    private static final class Outputs {
        final AtomicLong annotations = new AtomicLong();
        final AtomicLong deadLetters = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final Set<String> annotatedPosts = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicLong> deadLettersByReason = new ConcurrentSkipListMap<>();
        private final List<Long> latencyMillis = Collections.synchronizedList(new ArrayList<>());
        private final Properties properties = new Properties();

        Outputs(String bootstrapServers) {
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "soak-reader");
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        }

        void read() {
            Annotations decoder = new Annotations("mock://soak");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
                consumer.subscribe(List.of("post-annotations", "posts.dlq"));
                while (true) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.topic().equals("posts.dlq")) {
                            Header reason = record.headers().lastHeader(DeadLetter.REASON);
                            deadLettersByReason.computeIfAbsent(reason == null ? "?" : new String(reason.value(),
                                    StandardCharsets.UTF_8), r -> new AtomicLong()).incrementAndGet();
                            deadLetters.incrementAndGet();
                            continue;
                        }
                        PostAnnotations a = decoder.decode(record.value());
                        annotations.incrementAndGet();
                        if (!annotatedPosts.add(a.getPostId())) {
                            duplicates.incrementAndGet();
                        }
                        // Produced to visible: the event time (set when produced) to now, checkpoint wait included.
                        latencyMillis.add(System.currentTimeMillis() - a.getEventTime().toEpochMilli());
                    }
                }
            }
        }

        /** Posts out: each annotated post once, plus the dead letters. */
        long total() {
            return annotatedPosts.size() + deadLetters.get();
        }

        List<Long> latencies() {
            List<Long> copy;
            synchronized (latencyMillis) {
                copy = new ArrayList<>(latencyMillis);
            }
            Collections.sort(copy);
            return copy;
        }
    }
}
