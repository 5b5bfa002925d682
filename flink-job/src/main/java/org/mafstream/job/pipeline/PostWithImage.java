package org.mafstream.job.pipeline;

import org.mafstream.job.io.IncomingPost;
import org.mafstream.schemas.ImageStatus;

/** A post after the image stage (a Flink POJO): its image as the model's tensor, or why there is none. */
public class PostWithImage {
    public IncomingPost post;
    public ImageStatus status;
    /** The model input (NHWC floats), set exactly when {@code status} is OK. */
    public float[] pixels;
    /** Fetching, decoding and preprocessing, as this post waited for them (cache hits near 0). */
    public long imageMillis;

    public PostWithImage() {}

    public PostWithImage(IncomingPost post, ImageStatus status, float[] pixels, long imageMillis) {
        this.post = post;
        this.status = status;
        this.pixels = pixels;
        this.imageMillis = imageMillis;
    }
}
