package org.mafstream.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;

/**
 * Checkpoint sizes of a local job, read from Flink's REST API (the figures its web UI shows):
 * completed checkpoints, the latest one's total state, and the largest state any one subtask
 * has checkpointed so far.
 */
public final class CheckpointSizes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String jobUrl;
    private long lastSeenCheckpoint = -1;
    private long completed;
    private long latestBytes;
    private long largestSubtaskBytes;

    CheckpointSizes(int restPort, String jobId) {
        this.jobUrl = "http://localhost:" + restPort + "/jobs/" + jobId + "/checkpoints";
    }

    /** A Flink configuration whose local cluster serves REST on {@code port} (see {@link #freePort}). */
    static Configuration withRestPort(int port) {
        Configuration flink = new Configuration();
        flink.set(RestOptions.BIND_PORT, Integer.toString(port));
        flink.set(RestOptions.PORT, port);
        return flink;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the latest completed checkpoint, if it is new; a failed read leaves the figures as they were. */
    void poll() {
        try {
            JsonNode overview = get(jobUrl);
            completed = overview.path("counts").path("completed").asLong();
            JsonNode latest = overview.path("latest").path("completed");
            if (latest.isMissingNode() || latest.isNull() || latest.path("id").asLong() == lastSeenCheckpoint) {
                return;
            }
            long id = latest.path("id").asLong();
            latestBytes = size(latest);
            JsonNode tasks = get(jobUrl + "/details/" + id).path("tasks");
            for (Iterator<Map.Entry<String, JsonNode>> it = tasks.fields(); it.hasNext(); ) {
                String vertex = it.next().getKey();
                for (JsonNode subtask : get(jobUrl + "/details/" + id + "/subtasks/" + vertex).path("subtasks")) {
                    largestSubtaskBytes = Math.max(largestSubtaskBytes, size(subtask));
                }
            }
            lastSeenCheckpoint = id;
        } catch (IOException e) {
            // The job may be between restarts; the next poll tries again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long completed() {
        return completed;
    }

    long latestBytes() {
        return latestBytes;
    }

    long largestSubtaskBytes() {
        return largestSubtaskBytes;
    }

    private static long size(JsonNode stats) {
        return stats.has("state_size") ? stats.path("state_size").asLong() : stats.path("checkpointed_size").asLong();
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
