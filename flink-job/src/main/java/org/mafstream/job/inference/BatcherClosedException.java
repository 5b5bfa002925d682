package org.mafstream.job.inference;

/** The batcher was shut down before this item could run. */
public class BatcherClosedException extends IllegalStateException {
    public BatcherClosedException(String message) {
        super(message);
    }
}
