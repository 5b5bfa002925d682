package org.mafstream.job.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.mafstream.job.io.DeadLetter;

/**
 * A record of the dead-letter topic read back: where it sits, and what the job's
 * {@link DeadLetter} headers say about it. A header that is missing (a record some other writer
 * put on the topic) is null; nothing here throws for one.
 *
 * @param key the original record's key, as written
 * @param valueBytes the original value's size; null for a null value
 */
public record ReceivedDeadLetter(String topic, int partition, long offset, String reason, String errorClass,
                          String errorMessage, String sourceTopic, Long sourcePartition, Long sourceOffset,
                          Long sourceTimestamp, byte[] key, Integer valueBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ReceivedDeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        return new ReceivedDeadLetter(record.topic(), record.partition(), record.offset(),
                header(record, DeadLetter.REASON), header(record, DeadLetter.ERROR_CLASS),
                header(record, DeadLetter.ERROR_MESSAGE), header(record, DeadLetter.SOURCE_TOPIC),
                number(record, DeadLetter.SOURCE_PARTITION), number(record, DeadLetter.SOURCE_OFFSET),
                number(record, DeadLetter.SOURCE_TIMESTAMP), record.key(),
                record.value() == null ? null : record.value().length);
    }

    /**
     * Three lines: the record and its reason, where it came from; its key and size; its error (its
     * first line, at most 400 characters; {@code --json} has all of it).
     * <pre>
     * posts.dlq 0@4  BAD_MAGIC_BYTE  from posts 1@17 at 2017-05-01T12:30:00Z
     *   key "poison-json", value 31 bytes
     *   error org.mafstream.job.io.PoisonRecordException: BAD_MAGIC_BYTE: ...
     * </pre>
     */
    String readable() {
        return String.format("%s %d@%d  %s  from %s %s@%s%s%n  key %s, value %s%n  error %s: %s%n",
                topic, partition, offset, orUnknown(reason), orUnknown(sourceTopic), orUnknown(sourcePartition),
                orUnknown(sourceOffset), sourceTimestamp == null || sourceTimestamp < 0 ? ""
                        : " at " + Instant.ofEpochMilli(sourceTimestamp),
                readableKey(), valueBytes == null ? "null" : valueBytes + " byte" + (valueBytes == 1 ? "" : "s"),
                orUnknown(errorClass), errorMessage == null ? "?" : ConsumerLoop.firstLine(errorMessage));
    }

    /** One JSON object; every field is always there (null when unknown), the error message whole. */
    String json() throws JsonProcessingException {
        ObjectNode node = JSON.createObjectNode();
        node.put("topic", topic);
        node.put("partition", partition);
        node.put("offset", offset);
        node.put("reason", reason);
        node.put("errorClass", errorClass);
        node.put("errorMessage", errorMessage);
        ObjectNode source = node.putObject("source");
        source.put("topic", sourceTopic);
        source.put("partition", sourcePartition);
        source.put("offset", sourceOffset);
        source.put("timestamp", sourceTimestamp == null || sourceTimestamp < 0 ? null
                : Instant.ofEpochMilli(sourceTimestamp).toString());
        String text = keyText();
        node.put("key", text);
        // A key that is not UTF-8 (only the job's own keys are sure to be) travels as base64.
        node.put("keyBase64", key == null || text != null ? null : Base64.getEncoder().encodeToString(key));
        node.put("valueBytes", valueBytes);
        return JSON.writeValueAsString(node);
    }

    private String readableKey() {
        if (key == null) {
            return "null";
        }
        String text = keyText();
        try {
            return text != null ? JSON.writeValueAsString(text) : "base64:" + Base64.getEncoder().encodeToString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a string always serialises
        }
    }

    /** The key as UTF-8 text, or null when it is none (or not valid UTF-8). */
    private String keyText() {
        if (key == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException notText) {
            return null;
        }
    }

    private static String orUnknown(Object value) {
        return value == null ? "?" : value.toString();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Long number(ConsumerRecord<byte[], byte[]> record, String name) {
        String value = header(record, name);
        try {
            return value == null ? null : Long.parseLong(value.trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
