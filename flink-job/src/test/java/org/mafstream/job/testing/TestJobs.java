package org.mafstream.job.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mafstream.job.tools.CommittedTopicReader;

/** What the job tests share: an environment that restarts after injected faults, and reading keys back. */
public final class TestJobs {
    private TestJobs() {}

    /** Parallelism 2, restarting up to {@code attempts} times, {@code delay} apart. */
    public static StreamExecutionEnvironment restartingEnvironment(int attempts, Duration delay) {
        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        return env;
    }

    /** The keys (post ids) of {@code topic}'s committed records, read as {@link CommittedTopicReader#read} does. */
    public static List<String> committedKeys(String bootstrapServers, String topic, int expected, Duration timeout) {
        return CommittedTopicReader.read(bootstrapServers, topic, expected, timeout, Duration.ofSeconds(3)).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .toList();
    }
}
