package org.mafstream.job.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A status and a JSON body: a result, or an error in Confluent's {@code {"error_code", "message"}} form. */
record RegistryAnswer(int status, JsonNode body) {
    static RegistryAnswer ok(JsonNode body) {
        return new RegistryAnswer(200, body);
    }

    static RegistryAnswer error(int status, int errorCode, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error_code", errorCode);
        body.put("message", message);
        return new RegistryAnswer(status, body);
    }

    /** What Confluent's REST layer answers for a path it has no resource for. */
    static RegistryAnswer notFound() {
        return error(404, 404, "HTTP 404 Not Found");
    }

    static RegistryAnswer methodNotAllowed() {
        return error(405, 405, "HTTP 405 Method Not Allowed");
    }
}
