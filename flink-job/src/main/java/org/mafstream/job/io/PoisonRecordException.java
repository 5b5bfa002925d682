package org.mafstream.job.io;

/** An input record that no retry can fix; it goes to the dead-letter topic. */
public class PoisonRecordException extends Exception {
    private final PoisonReason reason;

    public PoisonRecordException(PoisonReason reason, String message) {
        this(reason, message, null);
    }

    public PoisonRecordException(PoisonReason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public PoisonReason reason() {
        return reason;
    }
}
