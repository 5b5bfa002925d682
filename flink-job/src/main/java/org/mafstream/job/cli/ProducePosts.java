package org.mafstream.job.cli;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.schemas.Post;

/**
 * The {@code produce} tool: reads posts from JSON Lines or CoNLL files and writes them to a topic
 * as a Confluent producer would (see {@link PostProducer}).
 */
public final class ProducePosts {
    static final int OK = 0;
    static final int SOME_FAILED = 1;
    static final int CANNOT_RUN = ToolCommandLine.USAGE_ERROR;

    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream produce [options] FILE... (- reads standard input)",
            """
            Writes each post as Confluent-framed Avro (schema registered under <topic>-value), key =
            the post id in UTF-8. Bad input lines are reported on standard error as file:line and
            skipped. JSON Lines fields: postId (default <file>-<line>), text (required), imageUrl,
            imageBase64, eventTime (ISO-8601 with offset, or epoch millis; default now), authorId,
            lang, attributes (object of strings). CoNLL: IMGID:<id> lines, word<TAB>tag lines,
            blank line between posts (the Twitter MNER datasets).
            Exit status: 0 all sent, 1 lines skipped or sends failed, 2 could not run.""",
            Stream.concat(ClusterOptions.options().stream(), Stream.of(
                    Option.value("topic", "NAME", "topic to write to (default posts)"),
                    Option.value("format", "jsonl|conll",
                            "input format (default from the file name: .jsonl/.json, .txt/.conll)"),
                    Option.value("limit", "N", "send at most N posts"),
                    Option.value("image-base-url", "URL", "CoNLL: imageUrl = URL + <IMGID> + .jpg")))
                    .toList()).withArguments("FILE");

    private ProducePosts() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("produce", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Settings settings = startup.settings();
        long started = System.nanoTime();
        Clock clock = Clock.systemUTC();
        PostReader jsonLines = new JsonLinesPostReader(clock);
        PostReader conll = new ConllPostReader(settings.imageBaseUrl(), clock);
        SendingSink sink;
        boolean unreadable = false;
        try (PostProducer producer = new PostProducer(settings.cluster().bootstrapServers(), settings.topic(),
                settings.cluster().registry(), settings.cluster().kafkaProperties())) {
            sink = new SendingSink(producer, settings.limit(), err);
            for (Input input : settings.inputs()) {
                if (sink.done()) {
                    break;
                }
                PostReader reader = input.format() == InputFormat.JSONL ? jsonLines : conll;
                try (BufferedReader lines = open(input, in)) {
                    reader.read(input.displayName(), lines, sink);
                } catch (IOException e) {
                    err.println("produce: cannot read " + input.displayName() + ": " + e.getMessage());
                    unreadable = true;
                }
            }
            producer.flush();
        } catch (RuntimeException e) {
            // Nothing to go on with: the registry or Kafka refused us (bad URL, authorization, ...).
            err.println("produce: failed: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            return CANNOT_RUN;
        }
        out.println(sink.summary(settings.topic(), (System.nanoTime() - started) / 1e9));
        return sink.failed() || unreadable ? SOME_FAILED : OK;
    }

    private static BufferedReader open(Input input, InputStream stdin) throws IOException {
        // Malformed UTF-8 becomes U+FFFD rather than ending the file at the first bad byte.
        InputStream stream = input.isStdin() ? unclosable(stdin) : Files.newInputStream(Path.of(input.name()));
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    private static InputStream unclosable(InputStream stdin) {
        return new FilterInputStream(stdin) {
            @Override
            public void close() {
                // standard input belongs to the caller
            }
        };
    }

    /** One input and how to read it. */
    private record Input(String name, InputFormat format) {
        boolean isStdin() {
            return name.equals("-");
        }

        String displayName() {
            return isStdin() ? "stdin" : name;
        }
    }

    private record Settings(ClusterOptions cluster, String topic, List<Input> inputs, Long limit, String imageBaseUrl) {
        static Settings from(Parsed args) {
            InputFormat format = args.get("format").map(InputFormat::named).orElse(null);
            if (args.positional().isEmpty()) {
                throw new UsageException("no input files given (- reads standard input)");
            }
            List<Input> inputs = new ArrayList<>();
            for (String name : args.positional()) {
                if (!name.equals("-") && !Files.isRegularFile(Path.of(name))) {
                    // Relative to the working directory: say which one, in case it is not the one meant.
                    throw new UsageException("no such file: " + name + " (" + Path.of(name).toAbsolutePath() + ")");
                }
                InputFormat inputFormat = format != null ? format : InputFormat.forFileName(name).orElseThrow(
                        () -> new UsageException("cannot tell the format of " + name + " from its name; give --format"));
                inputs.add(new Input(name, inputFormat));
            }
            String topic = args.get("topic", "posts").trim();
            if (topic.isEmpty()) {
                throw new UsageException("Option --topic is empty");
            }
            return new Settings(ClusterOptions.from(args), topic, inputs,
                    args.positiveLong("limit").orElse(null), args.get("image-base-url").orElse(null));
        }
    }

    /**
     * Sends what the readers deliver without waiting for each acknowledgement, counts, and
     * reports skipped lines. The first failed send stops the run: failures are systemic
     * (authorization, a missing topic), and each would otherwise wait out its own timeout.
     */
    private static final class SendingSink implements PostSink {
        private final PostProducer producer;
        private final Long limit;
        private final PrintStream err;
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        private long handedOver;
        private long skipped;

        SendingSink(PostProducer producer, Long limit, PrintStream err) {
            this.producer = producer;
            this.limit = limit;
            this.err = err;
        }

        @Override
        public boolean accept(Post post) {
            if (done()) {
                return false;
            }
            handedOver++;
            producer.sendAsync(post).whenComplete((metadata, error) -> {
                if (error == null) {
                    acknowledged.incrementAndGet();
                } else if (firstFailure.compareAndSet(null, error)) {
                    err.println("produce: sending post " + post.getPostId() + " failed, stopping: " + error);
                }
            });
            return !done();
        }

        @Override
        public void skip(String location, String problem) {
            skipped++;
            err.println(location + ": " + problem + " (line skipped)");
        }

        @Override
        public void warn(String location, String message) {
            err.println(location + ": warning: " + message);
        }

        boolean done() {
            return firstFailure.get() != null || (limit != null && handedOver >= limit);
        }

        boolean failed() {
            return skipped > 0 || firstFailure.get() != null;
        }

        String summary(String topic, double seconds) {
            long failedSends = handedOver - acknowledged.get();
            return String.format("Sent %d post%s to '%s'%s, skipped %d line%s, in %.2f s.",
                    acknowledged.get(), acknowledged.get() == 1 ? "" : "s", topic,
                    failedSends > 0 ? " (" + failedSends + " failed)" : "",
                    skipped, skipped == 1 ? "" : "s", seconds);
        }
    }
}
