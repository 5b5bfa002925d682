package org.mafstream.job.pipeline;

import org.apache.flink.api.common.functions.MapFunction;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.schemas.ImageStatus;

/** The image stage when images are disabled: every post goes on without one. */
public final class WithoutImages implements MapFunction<IncomingPost, PostWithImage> {
    @Override
    public PostWithImage map(IncomingPost in) {
        boolean hasImage = in.post.getImageUrl() != null || in.post.getImageBytes() != null;
        return new PostWithImage(in, hasImage ? ImageStatus.SKIPPED : ImageStatus.NO_IMAGE, null, null, 0);
    }
}
