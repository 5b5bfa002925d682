package org.mafstream.job.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.mafstream.schemas.Post;

/**
 * JSON Lines input: one object per line with {@code postId}, {@code text}, and optionally
 * {@code imageUrl}, {@code imageBase64}, {@code eventTime} (ISO-8601 with offset, or epoch
 * milliseconds), {@code authorId}, {@code lang}, {@code attributes} (an object of strings).
 * A line without {@code postId} gets {@code <file>-<line>}; blank lines are ignored.
 */
public final class JsonLinesPostReader implements PostReader {
    static final Set<String> FIELDS =
            Set.of("postId", "text", "imageUrl", "imageBase64", "eventTime", "authorId", "lang", "attributes");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Clock clock;
    // Unknown fields are ignored (exports often carry more), but a typo such as "postID" must
    // not pass unnoticed: each is reported once.
    private final Set<String> reportedUnknownFields = new HashSet<>();

    JsonLinesPostReader(Clock clock) {
        this.clock = clock;
    }

    /** A line that yields no post. */
    static final class BadLineException extends Exception {
        BadLineException(String message) {
            super(message);
        }
    }

    @Override
    public void read(String source, BufferedReader lines, PostSink sink) throws IOException {
        String line;
        long number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            line = PostReader.withoutBom(line, number);
            if (line.isBlank()) {
                continue;
            }
            String location = PostReader.location(source, number);
            Post post;
            try {
                post = parse(line, PostReader.fileName(source) + "-" + number, location, sink);
            } catch (BadLineException e) {
                sink.skip(location, e.getMessage());
                continue;
            }
            if (!sink.accept(post)) {
                return;
            }
        }
    }

    Post parse(String line, String generatedId, String location, PostSink sink) throws BadLineException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLineException("not JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new BadLineException("expected a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name) && reportedUnknownFields.add(name)) {
                sink.warn(location, "field \"" + name + "\" is not a Post field and is ignored (reported once); "
                        + "known fields: " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        String postId = id(node, "postId");
        if (postId == null) {
            postId = generatedId;
        }
        String text = string(node, "text");
        if (text == null) {
            throw new BadLineException("\"text\" is missing");
        }
        return Post.newBuilder()
                .setPostId(postId)
                .setText(text)
                .setImageUrl(imageUrl(node))
                .setImageBytes(imageBytes(node))
                .setEventTime(eventTime(node))
                .setAuthorId(id(node, "authorId"))
                .setLang(string(node, "lang"))
                .setAttributes(attributes(node))
                .build();
    }

    /** A string, or null when absent or JSON null. */
    private static String string(JsonNode node, String field) throws BadLineException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadLineException("\"" + field + "\" must be a string, got " + shown(value));
        }
        return value.textValue();
    }

    /** Ids may be strings or integers (numeric tweet ids are common); never empty. */
    private static String id(JsonNode node, String field) throws BadLineException {
        JsonNode value = node.get(field);
        if (value != null && value.isIntegralNumber()) {
            return value.asText();
        }
        String id = string(node, field);
        if (id != null && id.isBlank()) {
            throw new BadLineException("\"" + field + "\" is empty");
        }
        return id;
    }

    private static String imageUrl(JsonNode node) throws BadLineException {
        String url = string(node, "imageUrl");
        if (url == null) {
            return null;
        }
        try {
            String scheme = new URI(url).getScheme();
            if ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new BadLineException("\"imageUrl\" must be an http(s) URL, got " + shown(url));
    }

    private static ByteBuffer imageBytes(JsonNode node) throws BadLineException {
        String encoded = string(node, "imageBase64");
        if (encoded == null) {
            return null;
        }
        // Accept what browsers and scripts produce: a data URL prefix, the URL-safe alphabet.
        if (encoded.startsWith("data:") && encoded.contains(";base64,")) {
            encoded = encoded.substring(encoded.indexOf(";base64,") + ";base64,".length());
        }
        boolean urlSafe = encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0;
        try {
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(encoded);
            if (bytes.length == 0) {
                throw new BadLineException("\"imageBase64\" is empty");
            }
            return ByteBuffer.wrap(bytes);
        } catch (IllegalArgumentException e) {
            throw new BadLineException("\"imageBase64\" is not base64: " + e.getMessage());
        }
    }

    private Instant eventTime(JsonNode node) throws BadLineException {
        JsonNode value = node.get("eventTime");
        if (value == null || value.isNull()) {
            return clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.longValue());
        }
        if (value.isTextual()) {
            String text = value.textValue().trim();
            try {
                return text.matches("-?\\d+")
                        ? Instant.ofEpochMilli(Long.parseLong(text))
                        : OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeException | NumberFormatException e) {
                // reported below
            }
        }
        throw new BadLineException("\"eventTime\" must be ISO-8601 with an offset (2017-05-01T12:30:00Z) "
                + "or epoch milliseconds, got " + shown(value));
    }

    private static Map<String, String> attributes(JsonNode node) throws BadLineException {
        JsonNode value = node.get("attributes");
        Map<String, String> attributes = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return attributes;
        }
        if (!value.isObject()) {
            throw new BadLineException("\"attributes\" must be an object of strings, got " + shown(value));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new BadLineException("attribute \"" + entry.getKey() + "\" must be a string, got "
                        + entry.getValue());
            }
            attributes.put(entry.getKey(), entry.getValue().textValue());
        }
        return attributes;
    }

    /** A value as the message shows it: a long text would bury the problem. */
    private static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
