package org.mafstream.model.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;
import org.mafstream.model.train.TokenSentences;

class MnerPostsTest {
    static final List<String> LABELS = ModelConfig.TWITTER_LABELS;
    /** Enough pieces that some words split into several subwords (X tags) and some are [UNK]. */
    static final MafTextEncoder ENCODER = new MafTextEncoder(Vocabulary.of(List.of(
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "New", "York", "Kn", "##icks", "Messi", "scores", "at", "the", "@", "RT")),
            false, MafShape.MAX_SEQ_LENGTH);
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void postsCarryTheirImageIdsAndExactlyTheTextTokenSentencesReads(@TempDir Path dir) throws IOException {
        Path conll = write(dir.resolve("train.txt"),
                "IMGID:17_06_1\n", "RT\tO\n", "@\tO\n", "New\tB-ORG\n", "Knicks\tI-ORG\n", "\n",
                "IMGID:O_2\n", "Messi\tB-PER\n", "scores\tO\n", "at\tO\n", "Wembley\tB-LOC\n", "\n",
                "\n", // a second blank line closes nothing
                "IMGID:16_05_15_3\n", "the\tO\n", "New\tB-OTHER\n", "York\tI-OTHER\n", "\n");

        MnerPosts posts = MnerPosts.read("train", conll, ENCODER, LABELS, QUIET);
        TokenSentences text = TokenSentences.read("train", conll, ENCODER, LABELS, QUIET);

        assertThat(posts.size()).isEqualTo(3);
        assertThat(posts.imageIds()).containsExactly("17_06_1", "O_2", "16_05_15_3");
        assertThat(posts.imageId(1)).isEqualTo("O_2");
        assertThat(posts.name()).isEqualTo(text.name());
        assertThat(posts.file()).isEqualTo(text.file());
        for (int i = 0; i < posts.size(); i++) {
            assertThat(posts.tokenIds(i)).as("token ids of post %d", i).containsExactly(text.tokenIds().get(i));
            assertThat(posts.gold(i)).as("gold of post %d", i).containsExactly(text.gold().get(i));
        }
        // [CLS] New Kn ##icks [SEP] with B-ORG, I-ORG, X: the text is really tokenised, not just copied
        assertThat(posts.tokenIds(0)).containsExactly(2, 13, 12, 4, 6, 7, 3);
        assertThat(posts.gold(0)).containsExactly(11, 1, 1, 6, 7, 10, 12);
        assertThat(posts.batch(new int[] {2, 0}).tokenIds()[1]).isSameAs(posts.tokenIds(0));
        assertThat(posts.imageIds(new int[] {2, 0})).containsExactly("16_05_15_3", "17_06_1");
    }

    @Test
    void distinctImageIdsKeepTheOrderOfFirstUse(@TempDir Path dir) throws IOException {
        Path conll = write(dir.resolve("shared.txt"),
                "IMGID:b\n", "the\tO\n", "\n", "IMGID:a\n", "at\tO\n", "\n", "IMGID:b\n", "RT\tO\n", "\n");

        MnerPosts posts = MnerPosts.read("train", conll, ENCODER, LABELS, QUIET);

        assertThat(posts.size()).isEqualTo(3);
        assertThat(posts.distinctImageIds()).containsExactly("b", "a");
    }

    @Test
    void theFirstSentenceWithoutAnImageIdIsNamedWithItsLine(@TempDir Path dir) throws IOException {
        Path conll = write(dir.resolve("valid.txt"),
                "IMGID:17_06_1\n", "the\tO\n", "\n",                  // lines 1-3
                "\n",                                                 // line 4
                "New\tB-LOC\n", "York\tI-LOC\n", "\n",                // lines 5-7: no IMGID
                "IMGID:\n", "at\tO\n", "\n",                          // lines 8-10: an empty one
                "IMGID:17_06_4\n", "RT\tO\n", "\n");

        assertThatThrownBy(() -> MnerPosts.read("valid", conll, ENCODER, LABELS, QUIET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(conll.toString())
                .hasMessageContaining("sentence 2 (line 5, \"New York\")")
                .hasMessageContaining("no IMGID:<id> line")
                .hasMessageContaining("2 of 4 sentences lack one");
    }

    @Test
    void aBlankImageIdIsRefusedWhenBuiltDirectly() {
        TokenSentences text = new TokenSentences("t", List.of(new int[] {2, 3}, new int[] {2, 3}),
                List.of(new int[] {11, 12}, new int[] {11, 12}), null);

        assertThatThrownBy(() -> new MnerPosts(text, List.of("a", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t: post 2 has no image id");
        assertThatThrownBy(() -> new MnerPosts(text, List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 sentences but 1 image ids");
    }

    @Test
    void concatenationKeepsTextAndImagesTogetherInOrder(@TempDir Path dir) throws IOException {
        MnerPosts first = MnerPosts.read("train", write(dir.resolve("a.txt"),
                "IMGID:1\n", "the\tO\n", "\n", "IMGID:2\n", "New\tB-LOC\n", "York\tI-LOC\n", "\n"), ENCODER, LABELS, QUIET);
        MnerPosts second = MnerPosts.read("train", write(dir.resolve("b.txt"),
                "IMGID:3\n", "Messi\tB-PER\n", "\n"), ENCODER, LABELS, QUIET);

        MnerPosts both = MnerPosts.concatenate("all", List.of(first, second));

        assertThat(both.name()).isEqualTo("all");
        assertThat(both.file()).isNull();
        assertThat(both.imageIds()).containsExactly("1", "2", "3");
        assertThat(both.tokenIds(2)).containsExactly(second.tokenIds(0));
        assertThat(both.gold(1)).containsExactly(first.gold(1));
    }

    @Test
    void everyPostOfTheRealTwitter2017ValidationSplitHasItsImageId() throws IOException {
        Path conll = Fixtures.data("twitter2017/valid.txt");
        List<String> imgidLines = Files.readAllLines(conll, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("IMGID:")).toList();

        MnerPosts posts = MnerPosts.read("valid", conll, ENCODER, LABELS, QUIET);

        assertThat(imgidLines).hasSize(723); // testdata/data/README.md
        assertThat(posts.size()).isEqualTo(imgidLines.size());
        assertThat(posts.imageIds()).allSatisfy(id -> assertThat(id).matches("[A-Za-z0-9_]+"));
        assertThat(posts.imageIds()).containsExactlyElementsOf(
                imgidLines.stream().map(line -> line.substring("IMGID:".length()).strip()).toList());
        assertThat(posts.imageId(0)).isEqualTo("17_06_12598");
        assertThat(posts.imageIds()).anySatisfy(id -> assertThat(id).startsWith("O_")); // Twitter-2017's other id form
        assertThat(posts.distinctImageIds()).hasSize(723);
    }

    static Path write(Path file, String... lines) throws IOException {
        return Files.writeString(file, String.join("", lines), StandardCharsets.UTF_8);
    }
}
