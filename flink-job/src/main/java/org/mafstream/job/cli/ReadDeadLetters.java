package org.mafstream.job.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;

/**
 * The {@code dead-letters} tool: reads the dead-letter topic ({@code isolation.level=read_committed},
 * as the job writes it in transactions) and prints each record's reason, error, source and key,
 * and the size of the original value, from the job's {@code dlq.*} headers. Needs only Kafka: the
 * values are the original bytes, which it does not decode.
 */
public final class ReadDeadLetters {
    static final int OK = ConsumerLoop.OK;
    static final int CANNOT_RUN = ToolCommandLine.USAGE_ERROR;
    private static final String DEFAULT_TOPIC = "posts.dlq";

    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream dead-letters [options]",
            """
            Prints the records the job gave up on, from the headers it writes with each: dlq.reason,
            dlq.error.class and dlq.error.message, and where the record came from
            (dlq.source.topic/partition/offset/timestamp), with the record's key and the size of
            its value (the original bytes, unchanged). Readable by default, three lines a record;
            --json prints one JSON object per line instead, with the whole error message (a key
            that is not UTF-8 comes as keyBase64). A summary goes to standard error at the end.
            Records of aborted transactions are not shown (read_committed, as for consume).
            The default topic is the job's default, <topics.input>.dlq for the input posts.
            Exit status: 0 done, 2 could not run.""",
            Stream.of(KafkaOptions.options(), ReadOptions.options(DEFAULT_TOPIC),
                    List.of(Option.flag("json", "one JSON object per record (JSON Lines)")))
                    .flatMap(List::stream).toList());

    private ReadDeadLetters() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)),
                true, StandardCharsets.UTF_8);
        System.exit(run(args, System.in, out, System.err));
    }

    /** @param in unused; there for the same shape as the other tools' */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("dead-letters", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Settings settings = startup.settings();
        ConsumerLoop.RecordPrinter printer = settings.json() ? record -> out.println(json(record))
                : record -> out.print(ReceivedDeadLetter.of(record).readable());
        try (ConsumerLoop loop = new ConsumerLoop("dead-letters", settings.read(), printer, out, err)) {
            return loop.run();
        } catch (KafkaException | IllegalStateException e) {
            err.println("dead-letters: failed: " + e.getMessage());
            return CANNOT_RUN;
        }
    }

    private static String json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return ReceivedDeadLetter.of(record).json();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e); // strings and numbers always serialise
        }
    }

    private record Settings(ReadOptions read, boolean json) {
        static Settings from(Parsed args) {
            return new Settings(ReadOptions.from(args, KafkaOptions.from(args), DEFAULT_TOPIC, "dead-letters"),
                    args.has("json"));
        }
    }
}
