package org.mafstream.job.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mafstream.schemas.Entity;
import org.mafstream.schemas.PostAnnotations;
import org.mafstream.schemas.Timings;

/**
 * {@link PostAnnotations} as plain JSON for people and {@code jq}: field names as in the Avro
 * schema, optional values as JSON null (not Avro JSON's {@code {"float": 0.9}} union wrapping),
 * the event time as ISO-8601.
 */
public final class AnnotationsJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AnnotationsJson() {}

    static ObjectNode toJson(PostAnnotations annotations) {
        ObjectNode node = JSON.objectNode();
        node.put("postId", annotations.getPostId());
        node.put("eventTime", annotations.getEventTime().toString());
        ArrayNode entities = node.putArray("entities");
        for (Entity entity : annotations.getEntities()) {
            entities.add(toJson(entity));
        }
        node.put("retainScore", annotations.getRetainScore());
        node.put("imageStatus", annotations.getImageStatus().name());
        node.put("textTruncated", annotations.getTextTruncated());
        node.put("modelVersion", annotations.getModelVersion());
        node.set("timings", toJson(annotations.getTimings()));
        return node;
    }

    private static ObjectNode toJson(Entity entity) {
        ObjectNode node = JSON.objectNode();
        node.put("text", entity.getText());
        node.put("type", entity.getType().name());
        node.put("charStart", entity.getCharStart());
        node.put("charEnd", entity.getCharEnd());
        node.put("wordStart", entity.getWordStart());
        node.put("wordEnd", entity.getWordEnd());
        node.put("confidence", entity.getConfidence());
        return node;
    }

    private static ObjectNode toJson(Timings timings) {
        ObjectNode node = JSON.objectNode();
        node.put("queueMillis", timings.getQueueMillis());
        node.put("imageMillis", timings.getImageMillis());
        node.put("inferenceMillis", timings.getInferenceMillis());
        node.put("totalMillis", timings.getTotalMillis());
        return node;
    }
}
