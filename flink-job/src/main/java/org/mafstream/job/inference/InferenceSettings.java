package org.mafstream.job.inference;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 * @param threads TensorFlow's thread pools per model session
 * @param textLengthBuckets run texts at the bundle's length buckets where it has them (a text-only
 *     bundle); false: always at its full sequence length (the same tags, slower; for comparison)
 */
public record InferenceSettings(
        String bundleDir,
        List<Integer> gpuIds,
        int maxBatchSize,
        Duration maxBatchDelay,
        int queueCapacity,
        int workers,
        ModelThreads threads,
        boolean textLengthBuckets) implements Serializable {

    public InferenceSettings {
        gpuIds = List.copyOf(gpuIds);
        Objects.requireNonNull(threads, "threads");
        if (maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("maxBatchSize, queueCapacity and workers must be >= 1");
        }
    }

    public static InferenceSettings cpu(String bundleDir) {
        return new InferenceSettings(bundleDir, List.of(), 16, Duration.ofMillis(10), 256, 1, ModelThreads.DEFAULT, true);
    }

    public InferenceSettings withBatching(int batchSize, Duration delay) {
        return new InferenceSettings(bundleDir, gpuIds, batchSize, delay, queueCapacity, workers, threads, textLengthBuckets);
    }

    public InferenceSettings withTextLengthBuckets(boolean buckets) {
        return new InferenceSettings(bundleDir, gpuIds, maxBatchSize, maxBatchDelay, queueCapacity, workers, threads, buckets);
    }

    public InferenceSettings withThreads(ModelThreads modelThreads) {
        return new InferenceSettings(bundleDir, gpuIds, maxBatchSize, maxBatchDelay, queueCapacity, workers, modelThreads, textLengthBuckets);
    }
}
