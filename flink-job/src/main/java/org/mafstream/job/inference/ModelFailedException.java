package org.mafstream.job.inference;

/**
 * The model fails even on a known-good input: the model, not the input, is broken, so no post
 * may be dead-lettered for it; the task fails and restarts from its checkpoint.
 */
public class ModelFailedException extends RuntimeException {
    public ModelFailedException(String message, Throwable cause) {
        super(message + ": " + cause, cause);
    }
}
