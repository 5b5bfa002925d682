package org.mafstream.job.inference;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How the model runs in one TaskManager JVM.
 *
 * @param bundleDir the model bundle written by model-export
 * @param gpuIds GPU device ids to run on; empty for CPU. With TensorFlow's GPU build and CUDA 11 /
 *     cuDNN 8 on the library path, the models are placed on the first id.
 * @param maxBatchSize the most items one model call takes (image and text batchers alike)
 * @param maxBatchDelay how long the oldest queued item may wait for its batch to fill
 * @param queueCapacity items each batcher queues before {@code submit} blocks
 * @param workers threads (each with its own predictor) per batcher
 */
public record InferenceSettings(
        String bundleDir,
        List<Integer> gpuIds,
        int maxBatchSize,
        Duration maxBatchDelay,
        int queueCapacity,
        int workers) implements Serializable {

    public InferenceSettings {
        gpuIds = List.copyOf(gpuIds);
        if (maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("maxBatchSize, queueCapacity and workers must be >= 1");
        }
    }

    public static InferenceSettings cpu(String bundleDir) {
        return new InferenceSettings(bundleDir, List.of(), 16, Duration.ofMillis(10), 256, 1);
    }

    public InferenceSettings withBatching(int batchSize, Duration delay) {
        return new InferenceSettings(bundleDir, gpuIds, batchSize, delay, queueCapacity, workers);
    }
}
