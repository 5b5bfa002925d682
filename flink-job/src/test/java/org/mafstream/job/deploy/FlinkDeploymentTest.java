package org.mafstream.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.job.JobConfig;
import org.mafstream.job.MafStreamJob;

/**
 * deploy/kubernetes/flinkdeployment.yaml bound to the Flink Kubernetes Operator's own CRD classes
 * and checked against the job. The newest operator API served here (1.10.0) predates Flink 2's
 * version constant, so {@code flinkVersion} is checked on its own and left out of the binding.
 */
class FlinkDeploymentTest {
    private static JsonNode yaml;
    private static FlinkDeployment deployment;

    @BeforeAll
    static void bind() throws Exception {
        yaml = DeploymentFiles.yaml("deploy/kubernetes/flinkdeployment.yaml");
        ObjectNode withoutVersion = yaml.deepCopy();
        ((ObjectNode) withoutVersion.get("spec")).remove("flinkVersion");
        deployment = DeploymentFiles.YAML.treeToValue(withoutVersion, FlinkDeployment.class);
    }

    @Test
    void runsOurFlinkVersionInApplicationModeFromTheImagesJar() {
        String[] version = DeploymentFiles.flinkVersion().split("\\.");
        assertThat(yaml.get("spec").get("flinkVersion").asText()).isEqualTo("v" + version[0] + "_" + version[1]);
        JobSpec job = deployment.getSpec().getJob();
        assertThat(job.getJarURI()).isEqualTo("local://" + DeploymentFiles.JOB_JAR_IN_IMAGE);
        assertThat(job.getEntryClass()).isEqualTo(MafStreamJob.class.getName());
        assertThat(job.getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(job.getParallelism()).isPositive();
    }

    @Test
    void theJobArgumentsAreValidJobOptions() {
        List<String> args = List.of(deployment.getSpec().getJob().getArgs());
        JobConfig config = JobConfig.fromArgs(args.toArray(String[]::new));
        assertThat(config.inference().runtime().bundleDir()).isEqualTo(DeploymentFiles.MODEL_IN_IMAGE);
        assertThat(config.inference().runtime().gpuIds()).containsExactly(0);
        assertThat(config.kafkaClientProperties())
                .containsEntry("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider")
                .containsEntry("sasl.jaas.config", "${env:KAFKA_SASL_JAAS_CONFIG}");
    }

    @Test
    void everyFieldIsOneTheOperatorKnows() {
        // The CRD classes ignore unknown fields: a misplaced one would silently do nothing.
        JsonNode bound = DeploymentFiles.YAML.valueToTree(deployment);
        ObjectNode written = yaml.deepCopy();
        ((ObjectNode) written.get("spec")).remove("flinkVersion");
        assertKnown(written, bound, "");
    }

    private static void assertKnown(JsonNode written, JsonNode bound, String path) {
        if (written.isObject()) {
            written.fieldNames().forEachRemaining(field -> {
                assertThat(bound.has(field)).as("%s.%s is a field the operator reads", path, field).isTrue();
                if (!path.endsWith("flinkConfiguration") && !path.endsWith("limits") && !path.endsWith("annotations")) {
                    assertKnown(written.get(field), bound.get(field), path + "." + field);
                }
            });
        } else if (written.isArray()) {
            for (int i = 0; i < written.size(); i++) {
                assertKnown(written.get(i), bound.get(i), path + "[" + i + "]");
            }
        }
    }

    @Test
    void taskManagersGetAGpuTheModelVolumeAndTheKafkaSecret() {
        var taskManager = deployment.getSpec().getTaskManager().getPodTemplate().getSpec().getContainers().get(0);
        assertThat(taskManager.getName()).isEqualTo("flink-main-container");
        assertThat(taskManager.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
        var pod = deployment.getSpec().getPodTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getName()).isEqualTo("flink-main-container");
        assertThat(container.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo(DeploymentFiles.MODEL_IN_IMAGE);
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("KAFKA_SASL_JAAS_CONFIG");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kafka-credentials");
        });
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("maf-model"));
    }

    @Test
    void checkpointsSavepointsRestartsAndPrometheusAreConfigured() {
        var conf = deployment.getSpec().getFlinkConfiguration();
        assertThat(conf).containsKeys("state.checkpoints.dir", "state.savepoints.dir", "restart-strategy.type",
                "execution.checkpointing.interval");
        assertThat(conf).containsEntry("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    }

    /** s3:// state needs an S3 file system plugin, and the official image enables built-in ones by name. */
    @Test
    void s3StateHasItsPluginEnabledForThisFlinkVersion() {
        var conf = deployment.getSpec().getFlinkConfiguration();
        assertThat(conf.get("state.checkpoints.dir")).startsWith("s3://");
        var container = deployment.getSpec().getPodTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("ENABLE_BUILT_IN_PLUGINS");
            assertThat(e.getValue()).isEqualTo("flink-s3-fs-presto-" + DeploymentFiles.flinkVersion() + ".jar");
        });
    }

    @Test
    void kustomizeListsEveryManifest() throws Exception {
        JsonNode kustomization = DeploymentFiles.yaml("deploy/kubernetes/kustomization.yaml");
        for (JsonNode resource : kustomization.get("resources")) {
            assertThat(DeploymentFiles.repo().resolve("deploy/kubernetes").resolve(resource.asText())).isRegularFile();
        }
        assertThat(kustomization.get("images").get(0).get("name").asText()).isEqualTo(deployment.getSpec().getImage());
    }
}
