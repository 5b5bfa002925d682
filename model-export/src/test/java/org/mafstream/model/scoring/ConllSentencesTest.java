package org.mafstream.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.testing.Fixtures;

class ConllSentencesTest {

    @Test
    void readsSentencesImagesAndLabelsLikeTheOriginal(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("small.txt");
        Files.writeString(file, String.join("",
                "IMGID:17_06_1\n",
                "New\tO\n",
                "York\tB-OTHER\n",
                "Knicks\tI-OTHER\n",
                "\n",
                "\n", // a second blank line closes nothing
                "IMGID:O_2\r\n", // \r\n reads as \n
                "Messi\tB-PER\r\n",
                "a\tb\tO\n", // word before the first tab, label after the last
                "\n",
                "no\tO\n", // no IMGID line: image ""
                "end\tB-LOC"), // no final newline: the label loses its last character, as in the original
                StandardCharsets.UTF_8);

        List<LabelledSentence> sentences = ConllSentences.read(file);

        assertThat(sentences).containsExactly(
                new LabelledSentence("17_06_1", List.of("New", "York", "Knicks"), List.of("O", "B-MISC", "I-MISC")),
                new LabelledSentence("O_2", List.of("Messi", "a"), List.of("B-PER", "O")),
                new LabelledSentence("", List.of("no", "end"), List.of("O", "B-LO")));
    }

    @Test
    void readsTheTwitter2017Splits() throws IOException {
        Path data = Fixtures.data("twitter2017");

        List<LabelledSentence> train = ConllSentences.read(data.resolve("train.txt"));

        assertThat(train).hasSize(3373);
        assertThat(ConllSentences.read(data.resolve("valid.txt"))).hasSize(723);
        assertThat(ConllSentences.read(data.resolve("test.txt"))).hasSize(723);
        assertThat(train.get(0)).isEqualTo(new LabelledSentence("17_06_12483",
                List.of("New", "Post", ":", "Blackburn", "Festival", "of", "Voice", "2017"),
                List.of("O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O")));
        assertThat(train.stream().flatMap(s -> s.labels().stream()).distinct())
                .containsExactlyInAnyOrder("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC");
    }
}
