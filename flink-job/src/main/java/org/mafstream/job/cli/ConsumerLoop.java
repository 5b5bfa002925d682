package org.mafstream.job.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer loop of the reading tools: reads one topic with {@code isolation.level=read_committed}
 * and hands each record to a {@link RecordPrinter}; stops at {@code --max}, after {@code --timeout}
 * without a record, on Ctrl-C, or when standard output goes away; with a named group, commits what
 * was handled. Closing it commits (with a group) and closes the consumer.
 */
public final class ConsumerLoop implements AutoCloseable, ConsumerRebalanceListener {
    static final int OK = 0;
    static final int SOME_UNDECODABLE = 1;

    /** Prints one record on the tool's output. */
    @FunctionalInterface
    interface RecordPrinter {
        /** @throws UndecodableRecordException when the record cannot be shown; the loop reports it and reads on */
        void print(ConsumerRecord<byte[], byte[]> record) throws UndecodableRecordException;
    }

    /** A record the printer cannot decode: reported with its partition and offset, and skipped. */
    static final class UndecodableRecordException extends Exception {
        UndecodableRecordException(String problem) {
            super(problem);
        }
    }

    private final String tool;
    private final ReadOptions settings;
    private final RecordPrinter printer;
    private final PrintStream out;
    private final PrintStream err;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
    private final Set<TopicPartition> positioned = new HashSet<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread stopOnInterrupt;
    private volatile boolean stopping;
    private long lastActivity = System.nanoTime();
    private long printed;
    private long undecodable;

    /** @param tool prefixes the loop's messages on standard error, e.g. {@code consume} */
    ConsumerLoop(String tool, ReadOptions settings, RecordPrinter printer, PrintStream out, PrintStream err) {
        this.tool = tool;
        this.settings = settings;
        this.printer = printer;
        this.out = out;
        this.err = err;
        this.stopOnInterrupt = new Thread(this::stop, tool + "-shutdown");
        this.consumer = new KafkaConsumer<>(properties(settings));
    }

    /** Reads until a stop condition; {@link #SOME_UNDECODABLE} when a record could not be printed. */
    int run() {
        Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
        try {
            if (consumer.partitionsFor(settings.topic()).isEmpty()) {
                throw new IllegalStateException("topic " + settings.topic() + " does not exist");
            }
            consumer.subscribe(List.of(settings.topic()), this);
            while (!stopping && !maxReached() && !idleTooLong()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                    if (maxReached() || stopping) {
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
        err.printf("%s: read %d record%s from '%s': %d printed, %d undecodable.%n", tool,
                printed + undecodable, printed + undecodable == 1 ? "" : "s", settings.topic(), printed, undecodable);
        return undecodable > 0 ? SOME_UNDECODABLE : OK;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        lastActivity = System.nanoTime();
        processed.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        try {
            printer.print(record);
            printed++;
            if (out.checkError()) {
                stopping = true; // the reader went away (| head): nobody to print for
            }
        } catch (UndecodableRecordException e) {
            undecodable++;
            err.printf("%s: partition %d, offset %d: cannot decode: %s (skipped)%n",
                    tool, record.partition(), record.offset(), firstLine(e.getMessage()));
        }
    }

    /** Schema mismatches come with both schemas pretty-printed: one line per record is enough. */
    static String firstLine(String problem) {
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

    private static Properties properties(ReadOptions settings) {
        Properties p = new Properties();
        p.putAll(settings.kafka().kafkaProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServers());
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
