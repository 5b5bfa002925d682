package org.mafstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.base.DeliveryGuarantee;

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
            .intType().defaultValue(64)
            .withDescription("Posts in flight in the inference operator per subtask.");

    public static final ConfigOption<Duration> INFERENCE_TIMEOUT = key("inference.timeout")
            .durationType().defaultValue(Duration.ofSeconds(60))
            .withDescription("Time a post may spend in inference before it is dead-lettered (INFERENCE_TIMEOUT).");

    public static final ConfigOption<Integer> INFERENCE_ATTEMPTS = key("inference.attempts")
            .intType().defaultValue(3)
            .withDescription("Attempts per post before a failing inference is dead-lettered (INFERENCE_FAILED).");

    public static final ConfigOption<Long> INFERENCE_REGION_CACHE_BYTES = key("inference.region-cache-bytes")
            .longType().defaultValue(64L << 20)
            .withDescription("Bytes of image regions cached per subtask, keyed by image URL (reposts skip the image model).");

    public static final List<ConfigOption<?>> ALL = List.of(
            BOOTSTRAP_SERVERS, GROUP_ID, STARTING_OFFSETS, STOP_AT_LATEST, INPUT_TOPIC, OUTPUT_TOPIC,
            DEAD_LETTER_TOPIC, DELIVERY_GUARANTEE, TRANSACTION_TIMEOUT, TRANSACTIONAL_ID_PREFIX,
            CHECKPOINT_INTERVAL, REGISTRY_URL, REGISTRY_BASIC_AUTH, REGISTRY_TIMEOUT, REGISTRY_MAX_RETRIES,
            REGISTRY_CACHE_CAPACITY, REGISTRY_AUTO_REGISTER, MODEL_BUNDLE, MODEL_GPU_IDS, INFERENCE_BATCH_SIZE,
            INFERENCE_BATCH_DELAY, INFERENCE_QUEUE_CAPACITY, INFERENCE_WORKERS, INFERENCE_CAPACITY, INFERENCE_TIMEOUT,
            INFERENCE_ATTEMPTS, INFERENCE_REGION_CACHE_BYTES);

    /** Where a job without state starts reading. */
    public enum StartingOffsets {
        /** The consumer group's committed offsets; earliest where it has none. */
        COMMITTED_OR_EARLIEST,
        EARLIEST,
        LATEST
    }
}
