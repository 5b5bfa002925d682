package org.mafstream.job.fetch;

import java.util.concurrent.atomic.AtomicBoolean;
import org.mafstream.schemas.ImageStatus;

/**
 * The body of an image URL, or why there is none. A body holds a concurrency slot until
 * {@link #release()}, which the decoder calls when it is done with the bytes.
 */
final class Download {
    private final ImageStatus failure;
    private final byte[] body;
    private final String detail;
    private final boolean transientFailure;
    private final Runnable onRelease;
    private final AtomicBoolean released = new AtomicBoolean();

    private Download(ImageStatus failure, byte[] body, String detail, boolean transientFailure, Runnable onRelease) {
        this.failure = failure;
        this.body = body;
        this.detail = detail;
        this.transientFailure = transientFailure;
        this.onRelease = onRelease;
    }

    static Download body(byte[] body, String detail, Runnable onRelease) {
        return new Download(null, body, detail, false, onRelease);
    }

    static Download failed(ImageStatus status, String detail, boolean transientFailure) {
        return new Download(status, null, detail, transientFailure, () -> {});
    }

    boolean hasBody() {
        return body != null;
    }

    byte[] body() {
        return body;
    }

    String detail() {
        return detail;
    }

    ImageResult asFailure() {
        return ImageResult.failed(failure, detail, transientFailure);
    }

    /** Gives back the body's slot; later calls do nothing. */
    void release() {
        if (released.compareAndSet(false, true)) {
            onRelease.run();
        }
    }
}
