package org.mafstream.job.fetch;

import java.util.Objects;
import org.mafstream.schemas.ImageStatus;

/**
 * What became of one post's image.
 *
 * @param status the output schema's status; {@link ImageStatus#OK} exactly when {@code tensor} is set
 * @param tensor the model input ({@code ImageTensorizer}'s NHWC floats), or null. Shared with the
 *     cache and other posts of the same URL: read it, never write to it
 * @param detail why it failed (or where it came from), for logs and metrics; never null
 * @param fetchMillis time this request took (a cache hit's is about zero)
 * @param cacheHit whether it came from the cache or from a fetch another post had started
 * @param transientFailure a failure that may not recur (timeout, 5xx, connection error): not
 *     cached, or only briefly
 */
public record ImageResult(ImageStatus status, float[] tensor, String detail, long fetchMillis,
                          boolean cacheHit, boolean transientFailure) {

    public ImageResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if ((status == ImageStatus.OK) != (tensor != null)) {
            throw new IllegalArgumentException("a tensor goes with OK and only with OK: " + status);
        }
    }

    public static ImageResult ok(float[] tensor, String detail) {
        return new ImageResult(ImageStatus.OK, tensor, detail, 0, false, false);
    }

    public static ImageResult failed(ImageStatus status, String detail, boolean transientFailure) {
        return new ImageResult(status, null, detail, 0, false, transientFailure);
    }

    public static ImageResult noImage() {
        return new ImageResult(ImageStatus.NO_IMAGE, null, "the post has no image", 0, false, false);
    }

    /** This result as seen by one request: its own elapsed time and cache outcome. */
    ImageResult seenBy(long millis, boolean hit) {
        return new ImageResult(status, tensor, detail, millis, hit, transientFailure);
    }

    @Override
    public String toString() {
        return "ImageResult[" + status + ", " + (tensor == null ? "no tensor" : tensor.length + " floats") + ", " + detail
                + ", " + fetchMillis + " ms" + (cacheHit ? ", cache hit" : "") + (transientFailure ? ", transient" : "") + "]";
    }
}
