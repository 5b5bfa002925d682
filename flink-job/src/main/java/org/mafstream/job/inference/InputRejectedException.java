package org.mafstream.job.inference;

/**
 * The model fails on this input on its own while it runs a known-good input of the same shape:
 * the input's content is at fault, so the post it belongs to can be dead-lettered.
 */
public class InputRejectedException extends RuntimeException {
    public InputRejectedException(String message, Throwable cause) {
        super(message + ": " + cause, cause);
    }
}
