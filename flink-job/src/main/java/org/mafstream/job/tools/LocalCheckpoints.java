package org.mafstream.job.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Checkpoints of the local tools on disk, not in the JobManager's memory: posts in flight carry
 * their image tensors in the async operators' checkpointed queues, which under load is far over
 * the 5 MB that in-memory checkpoint storage allows.
 */
final class LocalCheckpoints {
    private LocalCheckpoints() {}

    static Configuration onDisk() {
        Configuration flink = new Configuration();
        try {
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Files.createTempDirectory("maf-stream-checkpoints").toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return flink;
    }
}
