package org.mafstream.job.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mafstream.job.JobConfig;
import org.mafstream.job.JobOptions;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.cli.CommittedTopicReader;

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

    /**
     * Runs the job over what the input topic holds now, to the end: bounded source, short
     * checkpoints (output becomes visible on each), exactly-once with a test-sized transaction timeout.
     */
    public static void runToTheEnd(Configuration jobConf, int parallelism, String name) throws Exception {
        jobConf.set(JobOptions.STOP_AT_LATEST, true);
        jobConf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
        jobConf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        MafStreamJob.build(env, JobConfig.from(jobConf));
        env.execute(name);
    }

    /** The keys (post ids) of {@code topic}'s committed records, read as {@link CommittedTopicReader#read} does. */
    public static List<String> committedKeys(String bootstrapServers, String topic, int expected, Duration timeout) {
        return CommittedTopicReader.read(bootstrapServers, topic, expected, timeout, Duration.ofSeconds(3)).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .toList();
    }
}
