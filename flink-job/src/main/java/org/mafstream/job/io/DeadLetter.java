package org.mafstream.job.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * An input record the job gave up on: the original key and value bytes, untouched, and why.
 * Written to the dead-letter topic with the reason in {@link #HEADER_PREFIX} headers (a Flink POJO).
 */
public class DeadLetter {
    public static final String HEADER_PREFIX = "dlq.";
    public static final String REASON = HEADER_PREFIX + "reason";
    public static final String ERROR_CLASS = HEADER_PREFIX + "error.class";
    public static final String ERROR_MESSAGE = HEADER_PREFIX + "error.message";
    public static final String SOURCE_TOPIC = HEADER_PREFIX + "source.topic";
    public static final String SOURCE_PARTITION = HEADER_PREFIX + "source.partition";
    public static final String SOURCE_OFFSET = HEADER_PREFIX + "source.offset";
    public static final String SOURCE_TIMESTAMP = HEADER_PREFIX + "source.timestamp";

    /** Error messages are cut to this many characters so one header cannot bloat a record. */
    static final int MAX_MESSAGE_CHARS = 4000;

    public byte[] key;
    public byte[] value;
    public String reason;
    public String errorClass;
    public String errorMessage;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public long sourceTimestamp;

    public DeadLetter() {}

    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record, String reason, Throwable error) {
        return of(record.key(), record.value(), record.topic(), record.partition(), record.offset(), record.timestamp(),
                reason, error);
    }

    /** A post that was read fine but failed in a later stage (e.g. inference, after retries). */
    public static DeadLetter of(IncomingPost post, String reason, Throwable error) {
        return of(post.key, post.value, post.sourceTopic, post.partition, post.offset, post.kafkaTimestamp, reason, error);
    }

    private static DeadLetter of(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp,
                                 String reason, Throwable error) {
        DeadLetter letter = new DeadLetter();
        letter.key = key;
        letter.value = value;
        letter.reason = reason;
        letter.errorClass = error.getClass().getName();
        String message = String.valueOf(error.getMessage());
        letter.errorMessage = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
        letter.sourceTopic = topic;
        letter.sourcePartition = partition;
        letter.sourceOffset = offset;
        letter.sourceTimestamp = timestamp;
        return letter;
    }

    public List<Header> headers() {
        List<Header> headers = new ArrayList<>(7);
        headers.add(header(REASON, reason));
        headers.add(header(ERROR_CLASS, errorClass));
        headers.add(header(ERROR_MESSAGE, errorMessage));
        headers.add(header(SOURCE_TOPIC, sourceTopic));
        headers.add(header(SOURCE_PARTITION, Integer.toString(sourcePartition)));
        headers.add(header(SOURCE_OFFSET, Long.toString(sourceOffset)));
        headers.add(header(SOURCE_TIMESTAMP, Long.toString(sourceTimestamp)));
        return headers;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "DeadLetter[" + reason + " " + sourceTopic + "-" + sourcePartition + "@" + sourceOffset + ": " + errorMessage + "]";
    }
}
