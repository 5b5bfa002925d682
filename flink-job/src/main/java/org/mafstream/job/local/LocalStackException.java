package org.mafstream.job.local;

/** A part of the local stack could not start; the message says which and, where it can, what to change. */
public final class LocalStackException extends Exception {
    LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
