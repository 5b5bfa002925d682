package org.mafstream.job.inference;

/** Metrics hook of a {@link MicroBatcher}; called on worker threads, must be cheap and thread-safe. */
public interface BatchListener {

    /**
     * @param queueWaitNanos how long the oldest item of the batch waited before the batch ran
     * @param runNanos how long the batch function took
     */
    void onBatch(int size, long queueWaitNanos, long runNanos, boolean failed);
}
