package org.mafstream.job.local;

import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.mafstream.job.JobConfig;
import org.mafstream.job.JobOptions;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.registry.InMemorySchemaRegistry;
import org.mafstream.job.registry.server.RegistryHttpServer;

/**
 * The parts of the local stack, started in order and closed in reverse: Kafka with the job's
 * topics, the schema registry server, the image server, and a local Flink running the job.
 */
public final class RunningStack implements AutoCloseable {
    static final String INPUT = "posts";
    static final String OUTPUT = "post-annotations";
    static final String DEAD_LETTERS = "posts.dlq";
    static final String JOB_NAME = "maf-stream (local stack)";
    private static final int PARTITIONS = 2;
    private static final Duration JOB_START = Duration.ofMinutes(2);

    /** What to close, last started first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedKafka kafka;
    private RegistryHttpServer registry;
    private LocalImageServer images;
    private LocalFlink flink;
    private boolean closed;

    private RunningStack() {}

    /** Starts everything and waits until the job runs; on failure, closes what had started. */
    static RunningStack start(LocalStackSettings settings, Path bundle) throws LocalStackException {
        RunningStack stack = new RunningStack();
        try {
            stack.startAll(settings, bundle);
            return stack;
        } catch (LocalStackException e) {
            stack.closeReporting(e);
            throw e;
        }
    }

    private void startAll(LocalStackSettings settings, Path bundle) throws LocalStackException {
        kafka = starting("Kafka on localhost:" + settings.kafkaPort(), "--kafka-port",
                () -> EmbeddedKafka.start(settings.kafkaPort()));
        starting("the topics", null, () -> {
            kafka.createTopics(PARTITIONS, INPUT, OUTPUT, DEAD_LETTERS);
            return null;
        });
        registry = starting("the schema registry on 127.0.0.1:" + settings.registryPort(), "--registry-port",
                () -> RegistryHttpServer.start(InMemorySchemaRegistry.create(), settings.registryPort()));
        images = starting("the image server on 127.0.0.1:" + settings.imagePort(), "--image-port",
                () -> LocalImageServer.onPort(settings.imagePort()));
        flink = starting("Flink with its web UI on 127.0.0.1:" + settings.webUiPort(), "--web-ui-port",
                () -> LocalFlink.start(settings.webUiPort(), settings.parallelism()));
        starting("the job", null, () -> {
            flink.submit(jobGraph(settings, bundle));
            flink.awaitRunning(JOB_START);
            return null;
        });
    }

    private StreamGraph jobGraph(LocalStackSettings settings, Path bundle) {
        Configuration conf = new Configuration();
        conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(JobOptions.REGISTRY_URL, registryUrl());
        conf.set(JobOptions.MODEL_BUNDLE, bundle.toString());
        conf.set(JobOptions.INPUT_TOPIC, INPUT);
        conf.set(JobOptions.OUTPUT_TOPIC, OUTPUT);
        conf.set(JobOptions.DEAD_LETTER_TOPIC, DEAD_LETTERS);
        conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(images.allowListEntry()));
        conf.set(JobOptions.CHECKPOINT_INTERVAL, settings.checkpointInterval());
        // Only builds the graph; the job runs on our own cluster, see LocalFlink.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism());
        MafStreamJob.build(env, JobConfig.from(conf));
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(JOB_NAME);
        return graph;
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The registry as clients name it; it listens on 127.0.0.1, which localhost is. */
    String registryUrl() {
        return "http://localhost:" + registry.port();
    }

    String imageBaseUrl() {
        return images.baseUrl();
    }

    String webUiUrl() {
        return flink.webUiUrl();
    }

    /** Cancels the job, then closes Flink, the image server, the registry and Kafka; once. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void closeReporting(Exception failure) {
        try {
            close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** Runs one start step; a part that can be closed is remembered for {@link #close()}. */
    private <T> T starting(String what, String portOption, Callable<T> step) throws LocalStackException {
        T part;
        try {
            part = step.call();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new LocalStackException("cannot start " + what + ": " + rootMessage(e)
                    + (portOption != null && causedByBind(e) ? " (is something else on that port? choose another with "
                            + portOption + ")" : ""), e);
        }
        if (part instanceof AutoCloseable closeable) {
            started.push(closeable);
        }
        return part;
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
