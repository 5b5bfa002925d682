package org.mafstream.image;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadUpdateListener;

/**
 * Stops a decode that runs past its deadline: the image's own {@link ImageLimits#maxDecodeTime},
 * or the caller's deadline if that comes first. Readers call their listeners on the decoding
 * thread, once per row (and per pass of a progressive image), so the clock is looked at there.
 *
 * <p>Why not a watchdog thread calling {@link ImageReader#abort()}: the JDK's JPEG reader refuses
 * calls from any thread but the one reading ({@code IllegalStateException}). And why throw rather
 * than only abort: after {@code abort()} the JDK's reader still runs (cheaper) passes over every
 * remaining scan; an exception thrown from the listener ends the native decode at once. The
 * reader is aborted too, for readers that swallow a listener's exception.
 */
final class DecodeClock implements IIOReadUpdateListener, IIOReadProgressListener {
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final boolean callersDeadline;
    private final Duration ownLimit;
    private boolean expired;

    /** Thrown from a listener, through the reader's decode loop, to the decoder. */
    static final class Expired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Expired() {
            super("decode stopped at its deadline", null, false, false);
        }
    }

    /** @param callerDeadlineNanos a {@link System#nanoTime()} deadline, or null for none */
    DecodeClock(Duration ownLimit, Long callerDeadlineNanos) {
        this.ownLimit = ownLimit;
        long own = startNanos + ownLimit.toNanos();
        this.callersDeadline = callerDeadlineNanos != null && callerDeadlineNanos - own < 0;
        this.deadlineNanos = callersDeadline ? callerDeadlineNanos : own;
    }

    /** Whether the deadline has already passed (then nothing should be decoded). */
    boolean passed() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    boolean expired() {
        return expired;
    }

    /** What a decode stopped by this clock is: the image's fault, or the caller's lack of time. */
    ImageRejectedException rejection(ImageFormat format) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return callersDeadline
                ? new ImageRejectedException(ImageRejection.OUT_OF_TIME,
                        format + " decoding stopped after " + millis + " ms: the time budget ran out")
                : new ImageRejectedException(ImageRejection.DECODE_FAILED,
                        format + " decoding stopped after " + millis + " ms, over the limit of " + ownLimit.toMillis() + " ms");
    }

    private void tick(ImageReader reader) {
        if (!expired && passed()) {
            expired = true;
            reader.abort();
            throw new Expired();
        }
    }

    @Override
    public void imageStarted(ImageReader source, int imageIndex) {
        tick(source);
    }

    @Override
    public void imageProgress(ImageReader source, float percentageDone) {
        tick(source);
    }

    @Override
    public void passStarted(ImageReader source, BufferedImage theImage, int pass, int minPass, int maxPass,
                            int minX, int minY, int periodX, int periodY, int[] bands) {
        tick(source);
    }

    @Override
    public void imageUpdate(ImageReader source, BufferedImage theImage, int minX, int minY, int width, int height,
                            int periodX, int periodY, int[] bands) {
        tick(source);
    }

    @Override
    public void passComplete(ImageReader source, BufferedImage theImage) {
        tick(source);
    }

    @Override
    public void imageComplete(ImageReader source) {}

    @Override
    public void sequenceStarted(ImageReader source, int minIndex) {}

    @Override
    public void sequenceComplete(ImageReader source) {}

    @Override
    public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

    @Override
    public void thumbnailProgress(ImageReader source, float percentageDone) {}

    @Override
    public void thumbnailComplete(ImageReader source) {}

    @Override
    public void readAborted(ImageReader source) {}

    @Override
    public void thumbnailPassStarted(ImageReader source, BufferedImage theThumbnail, int pass, int minPass, int maxPass,
                                     int minX, int minY, int periodX, int periodY, int[] bands) {}

    @Override
    public void thumbnailUpdate(ImageReader source, BufferedImage theThumbnail, int minX, int minY, int width, int height,
                                int periodX, int periodY, int[] bands) {}

    @Override
    public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {}
}
