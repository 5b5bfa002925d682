package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mafstream.schemas.Post;

/** The CoNLL reader on the quirks of the Twitter MNER files, without Kafka. */
public class ConllPostReaderTest {
    private static final Instant NOW = Instant.parse("2024-03-01T10:00:00Z");

    private final RecordingSink sink = new RecordingSink();

    private static void read(ConllPostReader reader, PostSink sink, String text) throws IOException {
        reader.read("data/test.txt", new BufferedReader(new StringReader(text)), sink);
    }

    private static ConllPostReader reader(String imageBaseUrl) {
        return new ConllPostReader(imageBaseUrl, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void wordsAreJoinedBySingleSpacesAndTagsAndImageIdTravelAsAttributes() throws IOException {
        read(reader("https://img.example.com/2017/"), sink,
                "IMGID:O_2144\r\nWayne\tB-PER\r\nRooney\tI-PER\r\nscores\tO\r\n\r\nIMGID:16_05_01_360\nMets\tB-ORG\n");
        assertThat(sink.skipped).isEmpty();
        assertThat(sink.ids()).containsExactly("O_2144", "16_05_01_360");
        Post first = sink.posts.get(0);
        assertThat(first.getText()).isEqualTo("Wayne Rooney scores");
        assertThat(first.getImageUrl()).isEqualTo("https://img.example.com/2017/O_2144.jpg");
        assertThat(first.getEventTime()).isEqualTo(NOW);
        assertThat(first.getAttributes()).containsEntry("conll.imgid", "O_2144").containsEntry("conll.tags", "B-PER I-PER O");
    }

    @Test
    void repeatedImageIdsGetSuffixesThatCollideWithNothingAcrossFiles() throws IOException {
        ConllPostReader reader = reader(null);
        read(reader, sink, "IMGID:a\nx\tO\n\nIMGID:a-2\nx\tO\n\nIMGID:a\ny\tO\n");
        read(reader, sink, "IMGID:a\nz\tO\n");
        assertThat(sink.ids()).containsExactly("a", "a-2", "a-3", "a-4");
        assertThat(sink.posts.get(3).getAttributes()).containsEntry("conll.imgid", "a");
        assertThat(sink.posts).extracting(Post::getImageUrl).containsOnlyNulls();
    }

    @Test
    void aMissingBlankLineClosesThePostAndSpacesMaySeparateTheTag() throws IOException {
        read(reader(null), sink, "IMGID:1\nRT O\n@ O\nIMGID:2\nhello\tO\n\n\n");
        assertThat(sink.posts).extracting(Post::getText).containsExactly("RT @", "hello");
        assertThat(sink.skipped).isEmpty();
    }

    @Test
    void problemsAreReportedOnceWithTheirLine() throws IOException {
        read(reader(null), sink, String.join("\n",
                "stray\tO",          // 1: before any IMGID
                "IMGID:",            // 2: no id: its words are skipped without a report each
                "lost\tO",
                "lost\tO",
                "",
                "IMGID:empty",       // 6: no words
                "",
                "IMGID:ok",
                "\tO",               // 9: no word
                "fine\tO"));
        assertThat(sink.ids()).containsExactly("ok");
        assertThat(sink.posts.get(0).getText()).isEqualTo("fine");
        assertThat(sink.skipped).hasSize(4);
        assertThat(sink.skipped.get(0)).startsWith("data/test.txt:1: a word outside a post");
        assertThat(sink.skipped.get(1)).startsWith("data/test.txt:2: bad image id line");
        assertThat(sink.skipped.get(2)).startsWith("data/test.txt:6: post empty has no words");
        assertThat(sink.skipped.get(3)).startsWith("data/test.txt:9: expected word<TAB>tag");
    }

    @Test
    void readingStopsWhenTheSinkIsFull() throws IOException {
        RecordingSink two = new RecordingSink(2);
        read(reader(null), two, "IMGID:1\na\tO\n\nIMGID:2\nb\tO\n\nIMGID:3\nc\tO\n");
        assertThat(two.ids()).containsExactly("1", "2");
    }
}
