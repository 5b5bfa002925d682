package org.mafstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.mafstream.cli.ToolCommandLine.UsageException;

class JobConfigTest {
    private static final String[] REQUIRED = {
        "--kafka.bootstrap-servers", "broker:9092", "--schema-registry.url", "http://registry:8081",
        "--model.bundle", "/models/maf"
    };

    @Test
    void defaultsAreExactlyOnceAndADeadLetterTopicNamedAfterTheInput() {
        JobConfig config = JobConfig.fromArgs(REQUIRED);

        assertThat(config.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(config.inputTopic()).isEqualTo("posts");
        assertThat(config.deadLetterTopic()).isEqualTo("posts.dlq");
        assertThat(config.transactionTimeout().toMinutes()).isLessThan(15);
        assertThat(config.registry().baseUris()).singleElement().hasToString("http://registry:8081");
    }

    @Test
    void inferenceDefaultsRunOnCpuWithModestBatches() {
        JobConfig config = JobConfig.fromArgs(concat(REQUIRED, "--inference.batch-size", "8", "--model.gpu-ids", "0;1"));

        assertThat(config.inference().runtime().bundleDir()).isEqualTo("/models/maf");
        assertThat(config.inference().runtime().maxBatchSize()).isEqualTo(8);
        assertThat(config.inference().runtime().gpuIds()).containsExactly(0, 1);
        assertThat(config.inference().attempts()).isEqualTo(3);
    }

    @Test
    void modelThreadsDefaultToEveryCoreForOneOpAtATimeAndCanBeSet() {
        JobConfig defaults = JobConfig.fromArgs(REQUIRED);
        assertThat(defaults.inference().runtime().threads().effectiveIntraOp())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.inference().runtime().threads().interOp()).isEqualTo(1);
        assertThat(defaults.inference().runtime().textLengthBuckets()).isTrue();

        JobConfig set = JobConfig.fromArgs(concat(REQUIRED, "--model.intra-op-threads", "3", "--model.inter-op-threads", "2",
                "--inference.text-length-buckets", "false"));
        assertThat(set.inference().runtime().threads()).isEqualTo(new org.mafstream.job.inference.ModelThreads(3, 2));
        assertThat(set.inference().runtime().textLengthBuckets()).isFalse();
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--model.intra-op-threads", "-1")))
                .hasMessageContaining("model.intra-op-threads");
    }

    @Test
    void aBatchSizeBelowOneIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--inference.batch-size", "0")))
                .hasMessageContaining("inference.batch-size");
    }

    @Test
    void theFlinkConfigurationProvidesOptionsTheCommandLineOverrides() {
        JobConfig config = JobConfig.fromArgs(new String[] {"--topics.input", "from-args"}, java.util.Map.of(
                "kafka.bootstrap-servers", "conf:9092", "schema-registry.url", "http://conf:8081",
                "model.bundle", "/conf/model", "topics.input", "from-conf", "taskmanager.numberOfTaskSlots", "4"));

        assertThat(config.bootstrapServers()).isEqualTo("conf:9092");
        assertThat(config.inputTopic()).isEqualTo("from-args");
    }

    @Test
    void namesTheMissingOption() {
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--schema-registry.url", "mock://x"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.bootstrap-servers");
    }

    @Test
    void refusesUnknownOptionsSoTyposDoNotPassSilently() {
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--topic.input", "x")))
                .hasMessageContaining("Unknown option --topic.input")
                .hasMessageContaining("topics.input");
    }

    @Test
    void unknownKeysMissingAndMalformedValuesAreTypedUsageErrors() {
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--bogus", "1")))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("Unknown option --bogus. Known options: ");
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--inference.batch-delay")))
                .isInstanceOf(UsageException.class).hasMessage("Option --inference.batch-delay needs a value (DURATION)");
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--inference.batch-delay", "soon")))
                .isInstanceOf(UsageException.class)
                .hasMessage("Option inference.batch-delay must be a duration such as 500 ms, 30 s, 10 min, got soon");
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--delivery-guarantee", "twice")))
                .isInstanceOf(UsageException.class)
                .hasMessage("Option delivery-guarantee must be one of exactly-once, at-least-once, none, got twice");
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--kafka.bootstrap-servers", "b:9092"},
                java.util.Map.of("inference.workers", "several")))
                .as("values from the Flink configuration are checked alike")
                .isInstanceOf(UsageException.class).hasMessageContaining("inference.workers must be an integer, got several");
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--inference.batch-size", "0")))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void flinkStyleValuesStillParse() {
        JobConfig config = JobConfig.fromArgs(concat(REQUIRED, "--inference.batch-delay", "25 ms",
                "--image.allow-list", "10.0.0.0/8;images", "--kafka.stop-at-latest", "true", "--model.intra-op-threads=2"));
        assertThat(config.inference().runtime().maxBatchDelay()).isEqualTo(java.time.Duration.ofMillis(25));
        assertThat(config.images().fetch().allowList()).containsExactly("10.0.0.0/8", "images");
        assertThat(config.stopAtLatest()).isTrue();
        assertThat(config.inference().runtime().threads().intraOp()).isEqualTo(2);
    }

    @Test
    void refusesTopicsThatCollide() {
        assertThatThrownBy(() -> JobConfig.fromArgs(concat(REQUIRED, "--topics.output", "posts")))
                .hasMessageContaining("three different topics");
    }

    @Test
    void refusesNonHttpRegistryUrls() {
        JobConfig config = JobConfig.fromArgs(new String[] {
            "--kafka.bootstrap-servers", "b:9092", "--schema-registry.url", "ftp://registry", "--model.bundle", "/m"
        });
        assertThatThrownBy(() -> config.registry().baseUris()).hasMessageContaining("http(s)://");
    }

    @Test
    void passesKafkaPropertiesThroughWithoutThePrefix() {
        JobConfig config = JobConfig.fromArgs(concat(REQUIRED,
                "--kafka.properties.security.protocol", "SASL_SSL",
                "--delivery-guarantee", "at-least-once"));

        assertThat(config.kafkaClientProperties()).containsEntry("security.protocol", "SASL_SSL").hasSize(1);
        assertThat(config.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void neverPrintsTheRegistryPassword() {
        JobConfig config = JobConfig.fromArgs(concat(REQUIRED, "--schema-registry.basic-auth.user-info", "me:s3cret"));
        assertThat(config.registry().basicAuthUserInfo()).isEqualTo("me:s3cret");
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
