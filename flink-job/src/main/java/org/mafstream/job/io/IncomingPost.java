package org.mafstream.job.io;

import org.mafstream.schemas.Post;

/** A decoded post with where and when it was read (a Flink POJO). */
public class IncomingPost {
    public Post post;
    public String sourceTopic;
    public int partition;
    public long offset;
    /** The input record's Kafka timestamp (ms). */
    public long kafkaTimestamp;
    /** When the job decoded the record (ms, wall clock). */
    public long readAtMillis;

    public IncomingPost() {}

    public IncomingPost(Post post, String sourceTopic, int partition, long offset, long kafkaTimestamp, long readAtMillis) {
        this.post = post;
        this.sourceTopic = sourceTopic;
        this.partition = partition;
        this.offset = offset;
        this.kafkaTimestamp = kafkaTimestamp;
        this.readAtMillis = readAtMillis;
    }
}
