package org.mafstream.job.inference;

/** A batch function returned a different number of outputs than it got inputs: a bug, failed loudly. */
public class BatchSizeMismatchException extends IllegalStateException {
    public BatchSizeMismatchException(String batcher, int inputs, int outputs) {
        super(batcher + ": batch of " + inputs + " inputs returned " + outputs + " outputs");
    }
}
