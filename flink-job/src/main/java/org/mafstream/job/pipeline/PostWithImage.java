package org.mafstream.job.pipeline;

import org.mafstream.job.io.IncomingPost;
import org.mafstream.schemas.ImageStatus;

/**
 * A post after the image stage: its preprocessed image tensor when the status is OK, otherwise
 * null and the reason in {@code status} (a Flink POJO).
 */
public class PostWithImage {
    public IncomingPost post;
    public ImageStatus status;
    /** [224·224·3] normalized NHWC pixels, or null. */
    public float[] pixels;
    /** Identifies the image for caching its regions (the normalized URL), or null. */
    public String imageKey;
    public long imageMillis;

    public PostWithImage() {}

    public PostWithImage(IncomingPost post, ImageStatus status, float[] pixels, String imageKey, long imageMillis) {
        this.post = post;
        this.status = status;
        this.pixels = pixels;
        this.imageKey = imageKey;
        this.imageMillis = imageMillis;
    }
}
