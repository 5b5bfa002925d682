package org.mafstream.job.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A local Flink for the local stack: one JobManager and one TaskManager in this JVM, with the
 * REST API and the web UI (flink-runtime-web on the class path) on a chosen port of loopback.
 * The cluster is ours rather than the per-job one of a local environment, because closing that
 * one is not awaited: here {@link #close()} returns once the web UI's port is free again.
 */
public final class LocalFlink implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";

    private final MiniCluster cluster;
    private final String webUiUrl;
    private JobID job;

    private LocalFlink(MiniCluster cluster, String webUiUrl) {
        this.cluster = cluster;
        this.webUiUrl = webUiUrl;
    }

    /** @param webUiPort the REST and web UI port on 127.0.0.1 (0: a free port) */
    static LocalFlink start(int webUiPort, int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(RestOptions.BIND_PORT, Integer.toString(webUiPort));
        // The blob server and the TaskManager's data port would listen on every interface.
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        try {
            cluster.start();
            // Named as the stack names its other addresses; it listens on 127.0.0.1, which localhost is.
            int port = cluster.getRestAddress().get(30, TimeUnit.SECONDS).getPort();
            return new LocalFlink(cluster, "http://localhost:" + port);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** E.g. {@code http://localhost:8082}: the web UI, and the REST API under the same address. */
    String webUiUrl() {
        return webUiUrl;
    }

    /** Submits the one job this cluster runs. */
    void submit(StreamGraph graph) throws Exception {
        job = cluster.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
    }

    JobStatus jobStatus() throws Exception {
        return cluster.getJobStatus(job).get(10, TimeUnit.SECONDS);
    }

    /** Waits until the job runs; {@link IllegalStateException} if it ends first. */
    void awaitRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobStatus status = jobStatus();
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isGloballyTerminalState()) {
                Throwable cause = cluster.requestJobResult(job).get(10, TimeUnit.SECONDS)
                        .getSerializedThrowable().map(t -> (Throwable) t).orElse(null);
                throw new IllegalStateException("the job ended while starting: " + status, cause);
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the job is still " + status + " after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Cancels the job, if any, and waits until it has ended, then stops the cluster. */
    @Override
    public void close() throws Exception {
        try {
            if (job != null && !jobStatus().isGloballyTerminalState()) {
                cluster.cancelJob(job).get(30, TimeUnit.SECONDS);
                cluster.requestJobResult(job).get(30, TimeUnit.SECONDS);
            }
        } finally {
            cluster.close();
        }
    }
}
