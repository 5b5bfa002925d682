package org.mafstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.mafstream.image.ResizeMode;

/** Every setting of the job, as Flink options: {@code --key value} on the command line. */
public final class JobOptions {
    private JobOptions() {}

    /** Passed through to every Kafka client (consumer, producers, admin), e.g. security settings. */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("kafka.bootstrap-servers")
            .stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers, host:port[,host:port]. Required.");

    public static final ConfigOption<String> GROUP_ID = key("kafka.group-id")
            .stringType().defaultValue("maf-stream")
            .withDescription("Consumer group id of the post source (offsets are committed on checkpoints).");

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = key("kafka.starting-offsets")
            .enumType(StartingOffsets.class).defaultValue(StartingOffsets.COMMITTED_OR_EARLIEST)
            .withDescription("Where a job without state starts reading the input topic.");

    public static final ConfigOption<Boolean> STOP_AT_LATEST = key("kafka.stop-at-latest")
            .booleanType().defaultValue(false)
            .withDescription("Stop (and finish the job) at the offsets that were latest at start-up: a backfill.");

    public static final ConfigOption<String> INPUT_TOPIC = key("topics.input")
            .stringType().defaultValue("posts")
            .withDescription("Topic of Confluent-framed Avro Post records.");

    public static final ConfigOption<String> OUTPUT_TOPIC = key("topics.output")
            .stringType().defaultValue("post-annotations")
            .withDescription("Topic of PostAnnotations records keyed by post id.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = key("topics.dead-letter")
            .stringType().noDefaultValue()
            .withDescription("Topic of records the job gave up on; default <topics.input>.dlq.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = key("delivery-guarantee")
            .enumType(DeliveryGuarantee.class).defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
            .withDescription("exactly-once (Kafka transactions; consumers must read with isolation.level=read_committed), at-least-once or none.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("kafka.transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("Producer transaction.timeout.ms; must not exceed the brokers' transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("kafka.transactional-id-prefix")
            .stringType().defaultValue("maf-stream")
            .withDescription("Prefix of the sinks' transactional ids; unique per job on a cluster.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint-interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval, used when the Flink configuration enables none. Exactly-once output becomes visible at each checkpoint.");

    public static final ConfigOption<String> REGISTRY_URL = key("schema-registry.url")
            .stringType().noDefaultValue()
            .withDescription("Confluent-compatible schema registry base URL(s), comma-separated, or mock://<scope> for an in-memory registry. Required.");

    public static final ConfigOption<String> REGISTRY_BASIC_AUTH = key("schema-registry.basic-auth.user-info")
            .stringType().noDefaultValue()
            .withDescription("user:password for the registry's HTTP basic auth.");

    public static final ConfigOption<Duration> REGISTRY_TIMEOUT = key("schema-registry.request-timeout")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Timeout of one registry request.");

    public static final ConfigOption<Integer> REGISTRY_MAX_RETRIES = key("schema-registry.max-retries")
            .intType().defaultValue(5)
            .withDescription("Retries of a registry request on 5xx, 429 and connection errors.");

    public static final ConfigOption<Integer> REGISTRY_CACHE_CAPACITY = key("schema-registry.cache-capacity")
            .intType().defaultValue(1000)
            .withDescription("Entries in each registry cache (schemas by id, ids by subject and schema).");

    public static final ConfigOption<Boolean> REGISTRY_AUTO_REGISTER = key("schema-registry.auto-register")
            .booleanType().defaultValue(true)
            .withDescription("Register the output schema under <topics.output>-value; when false it must already be registered there.");

    public static final ConfigOption<String> MODEL_BUNDLE = key("model.bundle")
            .stringType().noDefaultValue()
            .withDescription("Directory of the model bundle written by model-export, readable on every TaskManager. Required.");

    public static final ConfigOption<List<Integer>> MODEL_GPU_IDS = key("model.gpu-ids")
            .intType().asList().defaultValues()
            .withDescription("GPU device ids for the model (TensorFlow's GPU build with CUDA 11 / cuDNN 8 on the library path); empty: CPU.");

    public static final ConfigOption<Integer> MODEL_INTRA_OP_THREADS = key("model.intra-op-threads")
            .intType().defaultValue(0)
            .withDescription("TensorFlow threads inside one op, per model session; 0: one per core. On CPU the image"
                    + " and text models take turns, so each may use every core.");

    public static final ConfigOption<Integer> MODEL_INTER_OP_THREADS = key("model.inter-op-threads")
            .intType().defaultValue(1)
            .withDescription("TensorFlow ops run side by side, per model session; 0: TensorFlow's default (one per"
                    + " core). MAF's graphs are chains of large ops, which run fastest one at a time on every core.");

    public static final ConfigOption<Boolean> INFERENCE_TEXT_LENGTH_BUCKETS = key("inference.text-length-buckets")
            .booleanType().defaultValue(true)
            .withDescription("Run a text-only bundle at the shortest of its length buckets that holds each batch (the same"
                    + " tags as its full 128 positions, several times faster on tweets); false: always 128. A full MAF"
                    + " always runs at 128.");

    public static final ConfigOption<Integer> INFERENCE_BATCH_SIZE = key("inference.batch-size")
            .intType().defaultValue(16)
            .withDescription("Most images / texts per model call.");

    public static final ConfigOption<Duration> INFERENCE_BATCH_DELAY = key("inference.batch-delay")
            .durationType().defaultValue(Duration.ofMillis(10))
            .withDescription("How long the oldest queued item waits for its batch to fill.");

    public static final ConfigOption<Integer> INFERENCE_QUEUE_CAPACITY = key("inference.queue-capacity")
            .intType().defaultValue(256)
            .withDescription("Items queued per batcher before submitting blocks (back-pressure).");

    public static final ConfigOption<Integer> INFERENCE_WORKERS = key("inference.workers")
            .intType().defaultValue(1)
            .withDescription("Model threads per batcher in each TaskManager, each with its own predictor.");

    public static final ConfigOption<Integer> INFERENCE_CAPACITY = key("inference.async-capacity")
            .intType().defaultValue(128)
            .withDescription("Posts in flight per subtask in the inference stage (image fetch and model); beyond it"
                    + " the job back-pressures and the backlog stays in Kafka.");

    public static final ConfigOption<Duration> INFERENCE_TIMEOUT = key("inference.timeout")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("The longest one model call may run before the model counts as hung and the task fails"
                    + " (it restarts from its checkpoint). Posts never time out for waiting.");

    public static final ConfigOption<Integer> INFERENCE_ATTEMPTS = key("inference.attempts")
            .intType().defaultValue(3)
            .withDescription("Tries of a post the model fails on alone (while it runs a known-good input) before the"
                    + " post is dead-lettered (INFERENCE_FAILED). A model that fails on everything fails the task.");

    public static final ConfigOption<Long> INFERENCE_REGION_CACHE_BYTES = key("inference.region-cache-bytes")
            .longType().defaultValue(64L << 20)
            .withDescription("Bytes of image regions cached per subtask, keyed by image URL (reposts skip the image model).");

    public static final ConfigOption<Boolean> IMAGE_ENABLED = key("image.enabled")
            .booleanType().defaultValue(true)
            .withDescription("Fetch and use post images; when false the model reads every post without one (image status SKIPPED).");

    public static final ConfigOption<List<String>> IMAGE_ALLOW_LIST = key("image.allow-list")
            .stringType().asList().defaultValues()
            .withDescription("Exceptions to the SSRF guard (CIDRs, host names or host:port), e.g. an internal image host. Empty: only public addresses.");

    public static final ConfigOption<Integer> IMAGE_MAX_CONCURRENCY = key("image.fetch.max-concurrency")
            .intType().defaultValue(64)
            .withDescription("Image downloads in flight per subtask (also bounds image bodies in memory).");

    public static final ConfigOption<Integer> IMAGE_MAX_PER_HOST = key("image.fetch.max-per-host")
            .intType().defaultValue(8)
            .withDescription("Image downloads in flight to one host.");

    public static final ConfigOption<Duration> IMAGE_FETCH_TIMEOUT = key("image.fetch.timeout")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Time for one image URL, redirects and retries included; the post then goes on without its image (TIMEOUT).");

    public static final ConfigOption<Integer> IMAGE_FETCH_RETRIES = key("image.fetch.retries")
            .intType().defaultValue(2)
            .withDescription("Retries of an image download on timeouts, connection errors, 429 and 5xx.");

    public static final ConfigOption<Long> IMAGE_MAX_BYTES = key("image.max-bytes")
            .longType().defaultValue(10L << 20)
            .withDescription("Largest image accepted, enforced while downloading (TOO_LARGE).");

    public static final ConfigOption<Long> IMAGE_MAX_PIXELS = key("image.max-pixels")
            .longType().defaultValue(40_000_000L)
            .withDescription("Largest image accepted in pixels, read from the header before decoding (TOO_LARGE).");

    public static final ConfigOption<ResizeMode> IMAGE_RESIZE_MODE = key("image.resize-mode")
            .enumType(ResizeMode.class).defaultValue(ResizeMode.SQUASH)
            .withDescription("SQUASH: the whole image resized to 224x224; SHORTER_SIDE_CENTER_CROP: the ImageNet evaluation transform.");

    public static final ConfigOption<Long> IMAGE_CACHE_BYTES = key("image.cache-bytes")
            .longType().defaultValue(256L << 20)
            .withDescription("Bytes of preprocessed images cached per subtask, by URL; 0 disables the cache.");

    public static final List<ConfigOption<?>> ALL = List.of(
            BOOTSTRAP_SERVERS, GROUP_ID, STARTING_OFFSETS, STOP_AT_LATEST, INPUT_TOPIC, OUTPUT_TOPIC,
            DEAD_LETTER_TOPIC, DELIVERY_GUARANTEE, TRANSACTION_TIMEOUT, TRANSACTIONAL_ID_PREFIX,
            CHECKPOINT_INTERVAL, REGISTRY_URL, REGISTRY_BASIC_AUTH, REGISTRY_TIMEOUT, REGISTRY_MAX_RETRIES,
            REGISTRY_CACHE_CAPACITY, REGISTRY_AUTO_REGISTER, MODEL_BUNDLE, MODEL_GPU_IDS, MODEL_INTRA_OP_THREADS,
            MODEL_INTER_OP_THREADS, INFERENCE_TEXT_LENGTH_BUCKETS, INFERENCE_BATCH_SIZE,
            INFERENCE_BATCH_DELAY, INFERENCE_QUEUE_CAPACITY, INFERENCE_WORKERS, INFERENCE_CAPACITY, INFERENCE_TIMEOUT,
            INFERENCE_ATTEMPTS, INFERENCE_REGION_CACHE_BYTES, IMAGE_ENABLED, IMAGE_ALLOW_LIST, IMAGE_MAX_CONCURRENCY,
            IMAGE_MAX_PER_HOST, IMAGE_FETCH_TIMEOUT, IMAGE_FETCH_RETRIES, IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS,
            IMAGE_RESIZE_MODE, IMAGE_CACHE_BYTES);

    /** Where a job without state starts reading. */
    public enum StartingOffsets {
        /** The consumer group's committed offsets; earliest where it has none. */
        COMMITTED_OR_EARLIEST,
        EARLIEST,
        LATEST
    }
}
