package org.mafstream.job.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.mafstream.job.io.ConfluentAvroDecoder;
import org.mafstream.job.io.PoisonRecordException;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryException;
import org.mafstream.job.tools.ToolCommandLine.Option;
import org.mafstream.job.tools.ToolCommandLine.Parsed;
import org.mafstream.job.tools.ToolCommandLine.UsageException;
import org.mafstream.schemas.PostAnnotations;

/**
 * The {@code consume} tool: reads the annotations topic with {@code isolation.level=read_committed}
 * and prints one JSON object per record ({@link AnnotationsJson}).
 */
public final class ConsumeAnnotations {
    static final int OK = 0;
    static final int SOME_UNDECODABLE = 1;
    static final int CANNOT_RUN = ToolCommandLine.USAGE_ERROR;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "consume [options]",
            """
            Prints each annotation record as one JSON object per line on standard output; records
            that cannot be decoded go to standard error with their partition and offset, and the
            tool reads on. A summary goes to standard error at the end.

            Why read_committed: the job writes annotations inside Kafka transactions that commit
            when a Flink checkpoint completes. After a failure the job aborts the open transaction
            and writes those posts again, so read_uncommitted would show the aborted records as
            well (duplicates, or results that were never final). read_committed shows each post's
            annotations once, one checkpoint interval after the job wrote them.

            Offsets are committed only when --group-id is given, so that a rerun with the same
            group goes on where the last one stopped. --max counts undecodable records too.
            Exit status: 0 done, 1 some records could not be decoded, 2 could not run.""",
            Stream.concat(ClusterOptions.options().stream(), Stream.of(
                    Option.value("topic", "NAME", "topic to read (default post-annotations)"),
                    Option.value("group-id", "ID", "consumer group (default: a fresh one, no offsets committed)"),
                    Option.flag("from-beginning", "start at the earliest records (default: only new ones)"),
                    Option.value("max", "N", "stop after N records"),
                    Option.value("timeout", "DURATION",
                            "stop after DURATION without a record, e.g. 30s, 5m (default: run until interrupted)")))
                    .toList());

    private ConsumeAnnotations() {}

    public static void main(String[] args) {
        // JSON Lines are UTF-8 whatever the platform's default encoding.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)),
                true, StandardCharsets.UTF_8);
        System.exit(run(args, System.in, out, System.err));
    }

    /** @param in unused; there for the same shape as {@link ProducePosts#run} */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("consume", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Settings settings = startup.settings();
        try (Reading reading = new Reading(settings, out, err)) {
            return reading.run();
        } catch (SchemaRegistryException | KafkaException | IllegalStateException e) {
            err.println("consume: failed: " + e.getMessage());
            return CANNOT_RUN;
        }
    }

    private record Settings(ClusterOptions cluster, String topic, String groupId, boolean commitOffsets,
            boolean fromBeginning, Long max, Duration timeout) {
        static Settings from(Parsed args) {
            ClusterOptions cluster = ClusterOptions.from(args);
            String isolation = cluster.kafkaProperties().getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
            if (isolation != null && !isolation.equals("read_committed")) {
                throw new UsageException("isolation.level is always read_committed here (see --help), got " + isolation);
            }
            String topic = args.get("topic", "post-annotations").trim();
            if (topic.isEmpty()) {
                throw new UsageException("Option --topic is empty");
            }
            String groupId = args.get("group-id").map(String::trim).orElse(null);
            return new Settings(cluster, topic,
                    groupId != null ? groupId : "maf-stream-consume-" + UUID.randomUUID(),
                    groupId != null,
                    args.has("from-beginning"),
                    args.positiveLong("max").orElse(null),
                    args.positiveDuration("timeout").orElse(null));
        }
    }

    /** One run of the consumer loop; closing it commits (with --group-id) and closes the consumer. */
    private static final class Reading implements AutoCloseable, ConsumerRebalanceListener {
        private final Settings settings;
        private final PrintStream out;
        private final PrintStream err;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final ConfluentAvroDecoder<PostAnnotations> decoder;
        private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
        private final Set<TopicPartition> positioned = new HashSet<>();
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Thread stopOnInterrupt = new Thread(this::stop, "consume-shutdown");
        private volatile boolean stopping;
        private long lastActivity = System.nanoTime();
        private long printed;
        private long undecodable;

        Reading(Settings settings, PrintStream out, PrintStream err) {
            this.settings = settings;
            this.out = out;
            this.err = err;
            this.decoder = new ConfluentAvroDecoder<>(
                    SchemaRegistries.connect(settings.cluster().registry()), PostAnnotations.getClassSchema(), 100);
            this.consumer = new KafkaConsumer<>(properties(settings));
        }

        int run() {
            Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
            try {
                if (consumer.partitionsFor(settings.topic()).isEmpty()) {
                    throw new IllegalStateException("topic " + settings.topic() + " does not exist");
                }
                consumer.subscribe(List.of(settings.topic()), this);
                while (!stopping && !maxReached() && !idleTooLong()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        print(record);
                        if (maxReached()) {
                            break;
                        }
                    }
                    if (settings.commitOffsets() && !processed.isEmpty()) {
                        consumer.commitAsync(Map.copyOf(processed), null);
                    }
                }
            } catch (WakeupException interrupted) {
                // Ctrl-C: stop() woke the consumer; close() commits what was printed.
            }
            err.printf("consume: read %d record%s from '%s': %d printed, %d undecodable.%n",
                    printed + undecodable, printed + undecodable == 1 ? "" : "s", settings.topic(), printed, undecodable);
            return undecodable > 0 ? SOME_UNDECODABLE : OK;
        }

        private void print(ConsumerRecord<byte[], byte[]> record) {
            lastActivity = System.nanoTime();
            processed.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            try {
                out.println(JSON.writeValueAsString(AnnotationsJson.toJson(decoder.decode(record.value()))));
                printed++;
                if (out.checkError()) {
                    stopping = true; // the reader went away (| head): nobody to print for
                }
            } catch (PoisonRecordException | JsonProcessingException e) {
                reportUndecodable(record, e.getMessage());
            } catch (SchemaRegistryException e) {
                throw e; // the registry is down or refuses us: no later record would fare better
            } catch (RuntimeException e) {
                reportUndecodable(record, e.toString());
            }
        }

        private void reportUndecodable(ConsumerRecord<byte[], byte[]> record, String problem) {
            undecodable++;
            err.printf("consume: partition %d, offset %d: cannot decode: %s (skipped)%n",
                    record.partition(), record.offset(), firstLine(problem));
        }

        /** Schema mismatches come with both schemas pretty-printed: one line per record is enough. */
        private static String firstLine(String problem) {
            int newline = problem.indexOf('\n');
            String line = newline < 0 ? problem : problem.substring(0, newline) + " ...";
            return line.length() <= 400 ? line : line.substring(0, 400) + " ...";
        }

        private boolean maxReached() {
            return settings.max() != null && printed + undecodable >= settings.max();
        }

        private boolean idleTooLong() {
            return settings.timeout() != null && System.nanoTime() - lastActivity >= settings.timeout().toNanos();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            lastActivity = System.nanoTime(); // joining a group can take a while: the idle clock starts now
            if (settings.fromBeginning()) {
                // Also when the group has committed offsets; once per partition, not at every rebalance.
                List<TopicPartition> first = partitions.stream().filter(positioned::add).toList();
                consumer.seekToBeginning(first);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (settings.commitOffsets()) {
                consumer.commitSync(Map.copyOf(processed));
            }
        }

        /** The shutdown hook: wake the loop and give it a few seconds to commit and close. */
        private void stop() {
            stopping = true;
            consumer.wakeup();
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            try {
                if (settings.commitOffsets() && !processed.isEmpty()) {
                    consumer.commitSync(Map.copyOf(processed));
                }
            } catch (WakeupException lateInterrupt) {
                // interrupted while committing: the offsets are not saved, nothing else is lost
            } finally {
                consumer.close();
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it is waiting for finished
                }
            }
        }

        private static Properties properties(Settings settings) {
            Properties p = new Properties();
            p.putAll(settings.cluster().kafkaProperties());
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.cluster().bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.fromBeginning() ? "earliest" : "latest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // committed by hand, only what was printed
            p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // a typo must not create a topic
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            return p;
        }
    }
}
