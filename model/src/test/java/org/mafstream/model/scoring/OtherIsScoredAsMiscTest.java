package org.mafstream.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;

/** From a Twitter-2015-style B-OTHER in the file to a MISC entity in the scores. */
class OtherIsScoredAsMiscTest {

    @Test
    void otherInTheDataMatchesAPredictedMisc() {
        LabelledSentence sentence = ConllSentences.parse("IMGID:1\nHello\tB-OTHER\nMessi\tI-OTHER\n!\tO\n\n").get(0);
        MafTextEncoder encoder = new MafTextEncoder(
                Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "Hello", "Me", "##ssi", "!")), false, 128);
        int[] gold = GoldTags.of(encoder.encode(sentence.words()), sentence.labels(), ModelConfig.TWITTER_LABELS);
        // [CLS] Hello Me ##ssi ! [SEP] predicted [CLS] B-MISC I-MISC X O [SEP]
        int[] predicted = {11, 2, 3, 10, 1, 12};

        SpanScores scores = SpanScorer.score(ModelConfig.TWITTER_LABELS, List.of(gold), List.of(predicted));

        assertThat(gold).containsExactly(11, 2, 3, 10, 1, 12);
        assertThat(scores.perType().get("MISC")).isEqualTo(new SpanScores.Counts(1, 1, 1));
        assertThat(scores.overall()).isEqualTo(new SpanScores.Counts(1, 1, 1));
    }
}
