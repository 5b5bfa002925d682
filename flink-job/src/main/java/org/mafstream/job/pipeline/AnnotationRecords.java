package org.mafstream.job.pipeline;

import java.util.List;
import org.mafstream.job.inference.TextAnnotation;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.decode.EntityLabels;
import org.mafstream.model.decode.EntitySpan;
import org.mafstream.schemas.Entity;
import org.mafstream.schemas.EntityType;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.PostAnnotations;
import org.mafstream.schemas.Timings;

/** Builds the output record of one post from what the model said about it. */
public final class AnnotationRecords {
    private AnnotationRecords() {}

    /** The version string written into every annotation: the bundle's name and version. */
    public static String modelVersion(BundleManifest manifest) {
        return manifest.name() + "/" + manifest.version();
    }

    /** Fails fast on a bundle whose entity types the output schema cannot carry. */
    public static void requireSupportedLabels(BundleManifest manifest) {
        for (String type : EntityLabels.entityTypes(manifest.labels())) {
            if (!isEntityType(type)) {
                throw new IllegalArgumentException("model bundle labels " + manifest.labels() + " have the entity type '"
                        + type + "', which the output schema does not know (PER, LOC, ORG, MISC)");
            }
        }
    }

    public static PostAnnotations of(IncomingPost in, ImageStatus imageStatus, TextAnnotation annotation,
                                     String modelVersion, Long imageMillis, long inferenceMillis) {
        List<Entity> entities = annotation.entities().stream().map(AnnotationRecords::entity).toList();
        return PostAnnotations.newBuilder()
                .setPostId(in.post.getPostId())
                .setEventTime(in.post.getEventTime())
                .setEntities(entities)
                .setRetainScore(annotation.retainScore())
                .setImageStatus(imageStatus)
                .setTextTruncated(annotation.truncated())
                .setModelVersion(modelVersion)
                .setTimings(Timings.newBuilder()
                        .setQueueMillis(Math.max(0, in.readAtMillis - in.kafkaTimestamp))
                        .setImageMillis(imageMillis)
                        .setInferenceMillis(inferenceMillis)
                        .setTotalMillis(System.currentTimeMillis() - in.readAtMillis)
                        .build())
                .build();
    }

    private static Entity entity(EntitySpan span) {
        return Entity.newBuilder()
                .setText(span.text())
                .setType(EntityType.valueOf(span.type()))
                .setCharStart(span.charStart())
                .setCharEnd(span.charEnd())
                .setWordStart(span.wordStart())
                .setWordEnd(span.wordEnd())
                .setConfidence(span.confidence() == null ? null : span.confidence().floatValue())
                .build();
    }

    private static boolean isEntityType(String type) {
        for (EntityType t : EntityType.values()) {
            if (t.name().equals(type)) {
                return true;
            }
        }
        return false;
    }
}
