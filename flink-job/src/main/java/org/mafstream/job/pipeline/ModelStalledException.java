package org.mafstream.job.pipeline;

import java.time.Duration;

/** One model call has run longer than the stall timeout: the model hangs, and the task fails so it restarts. */
public class ModelStalledException extends RuntimeException {
    public ModelStalledException(Duration running, Duration limit) {
        super("a model call has been running for " + running.toSeconds() + " s, over the stall timeout of "
                + limit.toSeconds() + " s (" + "inference.timeout)");
    }
}
