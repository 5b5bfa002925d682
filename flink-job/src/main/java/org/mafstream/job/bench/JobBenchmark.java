package org.mafstream.job.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.image.ImageDecoder;
import org.mafstream.image.ImageLimits;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.image.ImageTensorizer;
import org.mafstream.job.JobConfig;
import org.mafstream.job.JobOptions;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.cli.PostProducer;
import org.mafstream.job.cli.Progress;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.inference.LoadedBundle;
import org.mafstream.job.inference.TokenInput;
import org.mafstream.job.local.DemoModel;
import org.mafstream.job.local.EmbeddedKafka;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.PostWords;
import org.mafstream.schemas.Post;

/**
 * The whole job's throughput against the bare model's, in one run at one batch size: N posts,
 * each with its own image on a local server (no cache hits), through in-JVM Kafka, image fetching,
 * batched inference and the sinks; and the same texts and images straight through the model,
 * before and after the job.
 * The job's rate is taken between its first and last annotation (start-up and model load
 * excluded), read as they arrive (at-least-once, so they are visible at once).
 *
 * <pre>bin/maf-stream bench job --random-init tiny --posts 400 --batch-size 16</pre>
 */
public final class JobBenchmark {
    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream bench job [options]",
            """
            The whole job's throughput against the bare model's: N posts, each with its own image on a
            local server, through in-JVM Kafka, image fetching, batched inference and the sinks
            (at-least-once, so annotations are visible at once), and the same posts straight through
            the model before and after the job. Prints posts/s of each and their ratio.""",
            Stream.concat(Stream.of(
                    Option.value("posts", "N", "posts (default 200)"),
                    Option.value("batch-size", "N", "the job's inference batch size and the bare model's (default 16)"),
                    Option.value("parallelism", "N", "the job's parallelism and input partitions (default 1)")),
                    DemoModel.options().stream()).toList());

    private JobBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    private record Settings(int posts, int batch, int parallelism, DemoModel.Choice model) {
        static Settings from(Parsed args) {
            int posts = args.positiveInt("posts").orElse(200);
            if (posts < 2) {
                throw new UsageException("Option --posts must be at least 2: the rate is taken between the first and"
                        + " the last annotation");
            }
            return new Settings(posts, args.positiveInt("batch-size").orElse(16),
                    args.positiveInt("parallelism").orElse(1), DemoModel.Choice.from(args));
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("bench job", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        int posts = startup.settings().posts();
        int batch = startup.settings().batch();
        int parallelism = startup.settings().parallelism();
        Path bundle = DemoModel.bundle(startup.settings().model(), out);
        out.printf("job benchmark: %d posts, batch size %d, parallelism %d, bundle %s%n", posts, batch, parallelism, bundle);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(); LocalImageServer images = LocalImageServer.start(Duration.ZERO)) {
            kafka.createTopics(parallelism, "posts", "post-annotations", "posts.dlq");
            List<String> texts = new ArrayList<>();
            try (PostProducer producer = new PostProducer(kafka.bootstrapServers(), "posts", "mock://job-bench")) {
                for (int i = 0; i < posts; i++) {
                    String text = "Post " + i + " : Kevin Durant and Stephen Curry warm up at Oracle Arena before Game " + i;
                    texts.add(text);
                    images.prepare("bench-" + i + ".jpg"); // the server's drawing is not the job's work
                    producer.send(Post.newBuilder().setPostId("bench-" + i).setText(text)
                            .setImageUrl(images.baseUrl() + "/bench-" + i + ".jpg").setEventTime(Instant.now()).build());
                }
            }
            // The bare model before and after the job: on a shared machine the load moves during a
            // run, and the job is compared with the mean of the two.
            double bareBefore = bareModel(bundle, texts, batch);
            out.printf("bare model, before the job: %8.2f posts/s (image_regions + maf, batch %d, same posts and images)%n",
                    bareBefore, batch);
            ArrivalClock arrivals = new ArrivalClock(kafka.bootstrapServers(), "post-annotations");
            Thread watcher = new Thread(() -> arrivals.watch(posts), "arrivals");
            watcher.start();

            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.REGISTRY_URL, "mock://job-bench");
            conf.set(JobOptions.MODEL_BUNDLE, bundle.toString());
            conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(images.allowListEntry()));
            conf.set(JobOptions.STOP_AT_LATEST, true);
            conf.set(JobOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.AT_LEAST_ONCE);
            conf.set(JobOptions.INFERENCE_BATCH_SIZE, batch);
            conf.set(JobOptions.INFERENCE_CAPACITY, Math.max(64, 4 * batch));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
            MafStreamJob.build(env, JobConfig.from(conf));
            env.execute("job benchmark");
            watcher.join(Duration.ofMinutes(5).toMillis());
            double jobRate = arrivals.rate();
            out.printf("whole job : %8.2f posts/s (%d annotations between first and last arrival)%n", jobRate, arrivals.count());

            double bareAfter = bareModel(bundle, texts, batch);
            out.printf("bare model, after the job:  %8.2f posts/s%n", bareAfter);
            double bareRate = (bareBefore + bareAfter) / 2;
            out.printf("efficiency (whole job / mean bare model) at batch %d, parallelism %d: %.2f%n", batch, parallelism,
                    jobRate / bareRate);
        }
        return 0;
    }

    /** The model alone on the same texts and images (decoded and tokenized beforehand). */
    private static double bareModel(Path bundle, List<String> texts, int batch) throws Exception {
        ImageTensorizer tensorizer = new ImageTensorizer(new ImageDecoder(ImageLimits.defaults()), ImagePreprocessing.imagenet224());
        try (LoadedBundle model = LoadedBundle.load(InferenceSettings.cpu(bundle.toString()));
             Predictor<NDList, NDList> image = model.newImagePredictor();
             Predictor<NDList, NDList> text = model.newTextPredictor()) {
            List<float[]> pixels = new ArrayList<>();
            List<TokenInput> tokens = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                pixels.add(tensorizer.toTensor(LocalImageServer.draw("bench-" + i + ".jpg")));
                EncodedText encoded = model.textEncoder().encode(PostWords.texts(PostWords.split(texts.get(i))));
                tokens.add(new TokenInput(encoded.inputIds(), encoded.inputMask(), encoded.segmentIds()));
            }
            return InferenceBenchmark.runBare(model, image, text, pixels, tokens, batch);
        }
    }

    /** Notes when each output record becomes readable. */
    private static final class ArrivalClock {
        private final Properties properties = new Properties();
        private final String topic;
        private final AtomicLong first = new AtomicLong();
        private final AtomicLong last = new AtomicLong();
        private final AtomicLong count = new AtomicLong();

        ArrivalClock(String bootstrapServers, String topic) {
            this.topic = topic;
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "job-bench-clock");
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        }

        void watch(int expected) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            Progress progress = new Progress("whole job (start-up included)", expected, "annotations", System.err);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
                consumer.subscribe(List.of(topic));
                while (count.get() < expected && System.nanoTime() < deadline) {
                    int n = consumer.poll(Duration.ofMillis(20)).count();
                    if (n > 0) {
                        long now = System.nanoTime();
                        first.compareAndSet(0, now);
                        last.set(now);
                        count.addAndGet(n);
                        progress.advance(n);
                    }
                }
            }
        }

        long count() {
            return count.get();
        }

        double rate() {
            return (count.get() - 1) / ((last.get() - first.get()) / 1e9);
        }
    }
}
