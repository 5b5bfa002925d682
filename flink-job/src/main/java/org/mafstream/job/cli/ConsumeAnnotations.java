package org.mafstream.job.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.job.io.ConfluentAvroDecoder;
import org.mafstream.job.io.PoisonRecordException;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryException;
import org.mafstream.job.cli.ConsumerLoop.UndecodableRecordException;
import org.mafstream.schemas.PostAnnotations;

/**
 * The {@code consume} tool: reads the annotations topic with {@code isolation.level=read_committed}
 * and prints one JSON object per record ({@link AnnotationsJson}).
 */
public final class ConsumeAnnotations {
    static final int OK = ConsumerLoop.OK;
    static final int SOME_UNDECODABLE = ConsumerLoop.SOME_UNDECODABLE;
    static final int CANNOT_RUN = ToolCommandLine.USAGE_ERROR;
    private static final String DEFAULT_TOPIC = "post-annotations";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream consume [options]",
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
            Stream.concat(ClusterOptions.options().stream(), ReadOptions.options(DEFAULT_TOPIC).stream()).toList());

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
        try {
            ConfluentAvroDecoder<PostAnnotations> decoder = new ConfluentAvroDecoder<>(
                    SchemaRegistries.connect(settings.cluster().registry()), PostAnnotations.getClassSchema(), 100);
            try (ConsumerLoop loop = new ConsumerLoop("consume", settings.read(), r -> print(decoder, r, out), out, err)) {
                return loop.run();
            }
        } catch (SchemaRegistryException | KafkaException | IllegalStateException e) {
            err.println("consume: failed: " + e.getMessage());
            return CANNOT_RUN;
        }
    }

    private record Settings(ClusterOptions cluster, ReadOptions read) {
        static Settings from(Parsed args) {
            ClusterOptions cluster = ClusterOptions.from(args);
            return new Settings(cluster, ReadOptions.from(args, cluster.kafka(), DEFAULT_TOPIC, "consume"));
        }
    }

    private static void print(ConfluentAvroDecoder<PostAnnotations> decoder, ConsumerRecord<byte[], byte[]> record,
                              PrintStream out) throws UndecodableRecordException {
        try {
            out.println(JSON.writeValueAsString(AnnotationsJson.toJson(decoder.decode(record.value()))));
        } catch (PoisonRecordException | JsonProcessingException e) {
            throw new UndecodableRecordException(e.getMessage());
        } catch (SchemaRegistryException e) {
            throw e; // the registry is down or refuses us: no later record would fare better
        } catch (RuntimeException e) {
            throw new UndecodableRecordException(e.toString());
        }
    }
}
