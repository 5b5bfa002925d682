package org.mafstream.job.pipeline;

import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.Post;
import org.mafstream.schemas.PostAnnotations;
import org.mafstream.schemas.Timings;

/**
 * The stage that stands where image fetching and MAF inference will go (not built yet): one
 * output record per post carrying only what is known without a model. No entities, and
 * {@code modelVersion} null, so nobody mistakes these for "the model found nothing".
 */
public final class AnnotationsWithoutModel implements MapFunction<IncomingPost, PostAnnotations> {

    @Override
    public PostAnnotations map(IncomingPost in) {
        Post post = in.post;
        boolean hasImage = post.getImageUrl() != null || post.getImageBytes() != null;
        return PostAnnotations.newBuilder()
                .setPostId(post.getPostId())
                .setEventTime(post.getEventTime())
                .setEntities(List.of())
                .setRetainScore(null)
                .setImageStatus(hasImage ? ImageStatus.SKIPPED : ImageStatus.NO_IMAGE)
                .setTextTruncated(false)
                .setModelVersion(null)
                .setTimings(Timings.newBuilder()
                        .setQueueMillis(Math.max(0, in.readAtMillis - in.kafkaTimestamp))
                        .setTotalMillis(System.currentTimeMillis() - in.readAtMillis)
                        .build())
                .build();
    }
}
