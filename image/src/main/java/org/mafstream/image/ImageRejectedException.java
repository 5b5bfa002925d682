package org.mafstream.image;

/** Image bytes the job will not use, with a {@link ImageRejection reason} for the output record. */
public final class ImageRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ImageRejection reason;

    public ImageRejectedException(ImageRejection reason, String message) {
        this(reason, message, null);
    }

    public ImageRejectedException(ImageRejection reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    public ImageRejection reason() {
        return reason;
    }
}
