package org.mafstream.job;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.image.ImageLimits;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.job.JobOptions.StartingOffsets;
import org.mafstream.job.fetch.FetchSettings;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.inference.ModelThreads;
import org.mafstream.job.registry.RegistrySettings;

/** The job's settings, read from {@link JobOptions} and validated once at start-up. */
public record JobConfig(
        String bootstrapServers,
        String groupId,
        StartingOffsets startingOffsets,
        boolean stopAtLatest,
        String inputTopic,
        String outputTopic,
        String deadLetterTopic,
        DeliveryGuarantee deliveryGuarantee,
        Duration transactionTimeout,
        String transactionalIdPrefix,
        Duration checkpointInterval,
        RegistrySettings registry,
        boolean autoRegisterSchemas,
        Map<String, String> kafkaProperties,
        Images images,
        Inference inference)
        implements Serializable {

    /** The posts' images: whether they are fetched, the fetcher's limits, the model's image transform. */
    public record Images(boolean enabled, FetchSettings fetch, ImagePreprocessing preprocessing)
            implements Serializable {}

    /**
     * The inference stage: the runtime shared per TaskManager and the operator around it.
     *
     * @param asyncCapacity posts in flight per subtask (then back-pressure)
     * @param timeout the longest one model call may run before the task fails (a hung model)
     * @param attempts tries of a post the model refuses on its own before it is dead-lettered
     */
    public record Inference(InferenceSettings runtime, int asyncCapacity, Duration timeout, int attempts,
                            long regionCacheBytes) implements Serializable {}

    /**
     * Parses {@code --key value} arguments ({@link JobCommandLine}); unknown keys, missing and
     * malformed values are {@link UsageException}s, so typos do not pass silently.
     */
    public static JobConfig fromArgs(String[] args) {
        return fromArgs(args, Map.of());
    }

    /**
     * As {@link #fromArgs(String[])}, on top of the job's options found in the Flink configuration
     * (e.g. {@code config.yaml} of the cluster); the command line wins.
     */
    public static JobConfig fromArgs(String[] args, Map<String, String> flinkConfiguration) {
        return fromArgs(JobCommandLine.COMMAND_LINE.parse(args), flinkConfiguration);
    }

    /** As {@link #fromArgs(String[], Map)}, from a command line already parsed. */
    public static JobConfig fromArgs(Parsed args, Map<String, String> flinkConfiguration) {
        Map<String, String> values = new HashMap<>();
        flinkConfiguration.forEach((key, value) -> {
            if (isJobOption(key)) {
                values.put(key, value);
            }
        });
        args.values().forEach((key, value) -> {
            if (isJobOption(key)) { // not --help
                values.put(key, value);
            }
        });
        Configuration conf = Configuration.fromMap(values);
        for (ConfigOption<?> option : JobOptions.ALL) {
            try {
                conf.getOptional(option);
            } catch (IllegalArgumentException e) {
                throw new UsageException("Option " + option.key() + " must be " + JobCommandLine.expected(option)
                        + ", got " + values.get(option.key()), e);
            }
        }
        try {
            return from(conf);
        } catch (UsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e); // a value out of range, a required one missing
        }
    }

    private static boolean isJobOption(String key) {
        return KNOWN_KEYS.contains(key) || key.startsWith(JobOptions.KAFKA_PROPERTIES_PREFIX);
    }

    private static final Set<String> KNOWN_KEYS = JobOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toSet());

    public static JobConfig from(Configuration conf) {
        String input = nonBlank(conf, JobOptions.INPUT_TOPIC);
        String output = nonBlank(conf, JobOptions.OUTPUT_TOPIC);
        String deadLetter = conf.getOptional(JobOptions.DEAD_LETTER_TOPIC).orElse(input + ".dlq");
        if (input.equals(output) || input.equals(deadLetter) || output.equals(deadLetter)) {
            throw new IllegalArgumentException("Options topics.input, topics.output and topics.dead-letter must name "
                    + "three different topics, got " + input + ", " + output + ", " + deadLetter);
        }
        Duration transactionTimeout = positive(conf, JobOptions.TRANSACTION_TIMEOUT);
        RegistrySettings registry = new RegistrySettings(
                nonBlank(conf, JobOptions.REGISTRY_URL),
                conf.get(JobOptions.REGISTRY_BASIC_AUTH),
                positive(conf, JobOptions.REGISTRY_TIMEOUT),
                atLeast(conf, JobOptions.REGISTRY_MAX_RETRIES, 0),
                Duration.ofMillis(200),
                atLeast(conf, JobOptions.REGISTRY_CACHE_CAPACITY, 1));
        return new JobConfig(
                nonBlank(conf, JobOptions.BOOTSTRAP_SERVERS),
                nonBlank(conf, JobOptions.GROUP_ID),
                conf.get(JobOptions.STARTING_OFFSETS),
                conf.get(JobOptions.STOP_AT_LATEST),
                input,
                output,
                deadLetter,
                conf.get(JobOptions.DELIVERY_GUARANTEE),
                transactionTimeout,
                nonBlank(conf, JobOptions.TRANSACTIONAL_ID_PREFIX),
                positive(conf, JobOptions.CHECKPOINT_INTERVAL),
                registry,
                conf.get(JobOptions.REGISTRY_AUTO_REGISTER),
                kafkaProperties(conf.toMap()),
                images(conf),
                inference(conf));
    }

    private static Images images(Configuration conf) {
        ImageLimits limits = new ImageLimits(
                atLeastLong(conf, JobOptions.IMAGE_MAX_BYTES, 1), atLeastLong(conf, JobOptions.IMAGE_MAX_PIXELS, 1),
                ImageLimits.defaults().maxSide());
        FetchSettings fetch;
        try {
            fetch = FetchSettings.builder()
                    .maxConcurrency(atLeast(conf, JobOptions.IMAGE_MAX_CONCURRENCY, 1))
                    .maxPerHost(atLeast(conf, JobOptions.IMAGE_MAX_PER_HOST, 1))
                    .totalTimeout(positive(conf, JobOptions.IMAGE_FETCH_TIMEOUT))
                    .maxRetries(atLeast(conf, JobOptions.IMAGE_FETCH_RETRIES, 0))
                    .imageLimits(limits)
                    .allowList(conf.get(JobOptions.IMAGE_ALLOW_LIST))
                    .cacheMaxBytes(atLeastLong(conf, JobOptions.IMAGE_CACHE_BYTES, 0))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid image fetch options (image.*): " + e.getMessage(), e);
        }
        return new Images(conf.get(JobOptions.IMAGE_ENABLED), fetch,
                ImagePreprocessing.imagenet224(conf.get(JobOptions.IMAGE_RESIZE_MODE)));
    }

    private static long atLeastLong(Configuration conf, ConfigOption<Long> option, long min) {
        long value = conf.get(option);
        if (value < min) {
            throw new IllegalArgumentException("Option " + option.key() + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    private static Inference inference(Configuration conf) {
        InferenceSettings runtime = new InferenceSettings(
                nonBlank(conf, JobOptions.MODEL_BUNDLE),
                conf.get(JobOptions.MODEL_GPU_IDS),
                atLeast(conf, JobOptions.INFERENCE_BATCH_SIZE, 1),
                positive(conf, JobOptions.INFERENCE_BATCH_DELAY),
                atLeast(conf, JobOptions.INFERENCE_QUEUE_CAPACITY, 1),
                atLeast(conf, JobOptions.INFERENCE_WORKERS, 1),
                new ModelThreads(atLeast(conf, JobOptions.MODEL_INTRA_OP_THREADS, 0),
                        atLeast(conf, JobOptions.MODEL_INTER_OP_THREADS, 0)),
                conf.get(JobOptions.INFERENCE_TEXT_LENGTH_BUCKETS));
        long cacheBytes = conf.get(JobOptions.INFERENCE_REGION_CACHE_BYTES);
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("Option " + JobOptions.INFERENCE_REGION_CACHE_BYTES.key() + " must be >= 0");
        }
        return new Inference(runtime, atLeast(conf, JobOptions.INFERENCE_CAPACITY, 1),
                positive(conf, JobOptions.INFERENCE_TIMEOUT), atLeast(conf, JobOptions.INFERENCE_ATTEMPTS, 1), cacheBytes);
    }

    /** The pass-through Kafka client properties, prefix removed. */
    public Properties kafkaClientProperties() {
        Properties properties = new Properties();
        properties.putAll(kafkaProperties);
        return properties;
    }

    private static Map<String, String> kafkaProperties(Map<String, String> all) {
        Map<String, String> result = new HashMap<>();
        all.forEach((key, value) -> {
            if (key.startsWith(JobOptions.KAFKA_PROPERTIES_PREFIX)) {
                result.put(key.substring(JobOptions.KAFKA_PROPERTIES_PREFIX.length()), value);
            }
        });
        return Map.copyOf(result);
    }

    private static String nonBlank(Configuration conf, ConfigOption<String> option) {
        String value = conf.get(option);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Option " + option.key() + " is required.");
        }
        return value.trim();
    }

    private static Duration positive(Configuration conf, ConfigOption<Duration> option) {
        Duration value = conf.get(option);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("Option " + option.key() + " must be positive, got " + value);
        }
        return value;
    }

    private static int atLeast(Configuration conf, ConfigOption<Integer> option, int min) {
        int value = conf.get(option);
        if (value < min) {
            throw new IllegalArgumentException("Option " + option.key() + " must be >= " + min + ", got " + value);
        }
        return value;
    }
}
