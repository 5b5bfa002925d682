package org.mafstream.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;

class GoldTagsTest {
    private static final Vocabulary VOCAB = Vocabulary.of(
            List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "Hello", "Me", "##ssi", "!"));
    private static final List<String> LABELS = ModelConfig.TWITTER_LABELS;

    @Test
    void firstSubwordsCarryTheWordLabelsOthersX() {
        MafTextEncoder encoder = new MafTextEncoder(VOCAB, false, 128);

        int[] tags = GoldTags.of(encoder.encode(List.of("Hello", "Messi", "!")), List.of("O", "B-PER", "O"), LABELS);

        // [CLS] Hello Me ##ssi ! [SEP]
        assertThat(tags).containsExactly(11, 1, 4, 10, 1, 12);
    }

    @Test
    void truncationCutsLabelsWithTheSubwords() {
        MafTextEncoder encoder = new MafTextEncoder(VOCAB, false, 5);

        int[] tags = GoldTags.of(encoder.encode(List.of("Hello", "Messi", "!")), List.of("B-LOC", "B-PER", "O"), LABELS);

        // 4 subwords >= 5 - 1: keep 3, [CLS] Hello Me ##ssi [SEP]
        assertThat(tags).containsExactly(11, 8, 4, 10, 12);
    }

    @Test
    void unknownLabelsAndMisalignedWordsAreErrors() {
        MafTextEncoder encoder = new MafTextEncoder(VOCAB, false, 128);

        assertThatThrownBy(() -> GoldTags.of(encoder.encode(List.of("Hello")), List.of("B-OTHER"), LABELS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown label 'B-OTHER'");
        assertThatThrownBy(() -> GoldTags.of(encoder.encode(List.of("Hello")), List.of("PAD"), LABELS))
                .hasMessageContaining("unknown label 'PAD'");
        assertThatThrownBy(() -> GoldTags.of(encoder.encode(List.of("Hello !")), List.of("O"), LABELS))
                .hasMessageContaining("1 labels for 2 words");
    }
}
