package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mafstream.schemas.Post;

/** The JSON Lines reader's field rules, line by line, without Kafka. */
public class JsonLinesPostReaderTest {
    private static final Instant NOW = Instant.parse("2024-03-01T10:00:00.123Z");

    private final RecordingSink sink = new RecordingSink();

    private void read(String... lines) throws IOException {
        new JsonLinesPostReader(Clock.fixed(NOW, ZoneOffset.UTC))
                .read("dir/in.jsonl", new BufferedReader(new StringReader(String.join("\n", lines))), sink);
    }

    private Post only(String line) throws IOException {
        read(line);
        assertThat(sink.skipped).isEmpty();
        assertThat(sink.posts).hasSize(1);
        return sink.posts.get(0);
    }

    @Test
    void eventTimeIsIsoWithOffsetOrEpochMillisAndDefaultsToNow() throws IOException {
        read("{\"postId\":\"a\",\"text\":\"t\",\"eventTime\":\"2017-05-01T12:30:00Z\"}",
                "{\"postId\":\"b\",\"text\":\"t\",\"eventTime\":\"2017-05-01T14:30:00.250+02:00\"}",
                "{\"postId\":\"c\",\"text\":\"t\",\"eventTime\":1700000000000}",
                "{\"postId\":\"d\",\"text\":\"t\",\"eventTime\":\"1700000000000\"}",
                "{\"postId\":\"e\",\"text\":\"t\"}",
                "{\"postId\":\"f\",\"text\":\"t\",\"eventTime\":null}");
        assertThat(sink.posts).extracting(Post::getEventTime).containsExactly(
                Instant.parse("2017-05-01T12:30:00Z"), Instant.parse("2017-05-01T12:30:00.250Z"),
                Instant.ofEpochMilli(1_700_000_000_000L), Instant.ofEpochMilli(1_700_000_000_000L), NOW, NOW);
    }

    @Test
    void eventTimeWithoutOffsetOrAsFractionIsABadLine() throws IOException {
        read("{\"postId\":\"a\",\"text\":\"t\",\"eventTime\":\"2017-05-01T12:30:00\"}",
                "{\"postId\":\"b\",\"text\":\"t\",\"eventTime\":1.5}",
                "{\"postId\":\"c\",\"text\":\"t\",\"eventTime\":\"yesterday\"}");
        assertThat(sink.posts).isEmpty();
        assertThat(sink.skipped).hasSize(3).allSatisfy(s -> assertThat(s).contains("\"eventTime\" must be ISO-8601"));
        assertThat(sink.skipped.get(1)).startsWith("dir/in.jsonl:2: ");
    }

    @Test
    void missingPostIdIsTheFileNameAndLineNumberAndNumericIdsAreKeptDigitForDigit() throws IOException {
        read("", "{\"text\":\"no id\"}", "{\"postId\":862209398373433344,\"text\":\"numeric\",\"authorId\":42}");
        assertThat(sink.ids()).containsExactly("in.jsonl-2", "862209398373433344");
        assertThat(sink.posts.get(1).getAuthorId()).isEqualTo("42");
    }

    @Test
    void imageBase64AcceptsPlainUrlSafeAndDataUrls() throws IOException {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', (byte) 0xfb, (byte) 0xff, 0, 1};
        read("{\"postId\":\"a\",\"text\":\"t\",\"imageBase64\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}",
                "{\"postId\":\"b\",\"text\":\"t\",\"imageBase64\":\"" + Base64.getUrlEncoder().encodeToString(bytes) + "\"}",
                "{\"postId\":\"c\",\"text\":\"t\",\"imageBase64\":\"data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(bytes) + "\"}");
        assertThat(sink.skipped).isEmpty();
        assertThat(sink.posts).extracting(Post::getImageBytes).containsOnly(ByteBuffer.wrap(bytes));
    }

    @Test
    void everyMalformedFieldIsABadLineNamingTheField() throws IOException {
        read("{\"postId\":\"a\",\"text\":\"t\",\"imageBase64\":\"not base64!\"}",
                "{\"postId\":\"b\",\"text\":\"t\",\"imageUrl\":\"images/b.jpg\"}",
                "{\"postId\":\"c\",\"text\":\"t\",\"attributes\":{\"n\":1}}",
                "{\"postId\":\"d\",\"text\":\"t\",\"attributes\":[\"x\"]}",
                "{\"postId\":\"\",\"text\":\"t\"}",
                "{\"postId\":\"f\",\"text\":7}",
                "{\"postId\":\"g\"}",
                "[1,2]",
                "{\"postId\":\"i\",\"text\":\"t\"} trailing",
                "{\"postId\":\"j\",\"text\":\"t\",\"text\":\"again\"}",
                "{\"postId\":\"k\",\"text\":\"t\"");
        assertThat(sink.posts).isEmpty();
        assertThat(sink.skipped).hasSize(11);
        assertThat(sink.skipped.get(0)).contains("imageBase64");
        assertThat(sink.skipped.get(1)).contains("imageUrl");
        assertThat(sink.skipped.get(2)).contains("attribute \"n\"");
        assertThat(sink.skipped.get(3)).contains("\"attributes\" must be an object");
        assertThat(sink.skipped.get(4)).contains("\"postId\" is empty");
        assertThat(sink.skipped.get(5)).contains("\"text\" must be a string");
        assertThat(sink.skipped.get(6)).contains("\"text\" is missing");
        assertThat(sink.skipped.get(7)).contains("expected a JSON object");
        assertThat(sink.skipped.get(8)).contains("not JSON");
        assertThat(sink.skipped.get(9)).contains("not JSON").contains("text");
        assertThat(sink.skipped.get(10)).startsWith("dir/in.jsonl:11: not JSON");
    }

    @Test
    void unknownFieldsAreIgnoredButEachIsReportedOnce() throws IOException {
        read("\uFEFF{\"postID\":\"a\",\"text\":\"t\",\"retweets\":3}", "{\"postID\":\"b\",\"text\":\"t\"}");
        assertThat(sink.ids()).containsExactly("in.jsonl-1", "in.jsonl-2");
        assertThat(sink.warnings).hasSize(2);
        assertThat(sink.warnings.get(0)).startsWith("dir/in.jsonl:1: ").contains("\"postID\"").contains("postId");
    }

    @Test
    void allFieldsArrive() throws IOException {
        Post post = only("{\"postId\":\"p\",\"text\":\"Snow in 東京 ❄️\",\"imageUrl\":\"https://img.example.com/p.jpg\","
                + "\"authorId\":\"u1\",\"lang\":\"en\",\"attributes\":{\"source\":\"test\",\"campaign\":\"c1\"}}");
        assertThat(post.getText()).isEqualTo("Snow in 東京 ❄️");
        assertThat(post.getImageUrl()).isEqualTo("https://img.example.com/p.jpg");
        assertThat(post.getImageBytes()).isNull();
        assertThat(post.getAuthorId()).isEqualTo("u1");
        assertThat(post.getLang()).isEqualTo("en");
        assertThat(post.getAttributes()).containsExactly(
                Map.entry("source", "test"), Map.entry("campaign", "c1"));
    }
}
