package org.mafstream.job.io;

import org.mafstream.schemas.Post;

/**
 * A decoded post with where and when it was read, and its original record bytes, so a later
 * stage that gives up on it can still dead-letter exactly what came in (a Flink POJO).
 */
public class IncomingPost {
    public Post post;
    public byte[] key;
    public byte[] value;
    public String sourceTopic;
    public int partition;
    public long offset;
    /** The input record's Kafka timestamp (ms). */
    public long kafkaTimestamp;
    /** When the job decoded the record (ms, wall clock). */
    public long readAtMillis;

    public IncomingPost() {}

    public IncomingPost(Post post, byte[] key, byte[] value, String sourceTopic, int partition, long offset,
                        long kafkaTimestamp, long readAtMillis) {
        this.post = post;
        this.key = key;
        this.value = value;
        this.sourceTopic = sourceTopic;
        this.partition = partition;
        this.offset = offset;
        this.kafkaTimestamp = kafkaTimestamp;
        this.readAtMillis = readAtMillis;
    }
}
