package org.mafstream.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.ModelConfig;

/**
 * Hand-computed scores. Ids: 0 PAD, 1 O, 2 B-MISC, 3 I-MISC, 4 B-PER, 5 I-PER, 6 B-ORG, 7 I-ORG,
 * 8 B-LOC, 9 I-LOC, 10 X, 11 [CLS], 12 [SEP].
 */
class SpanScorerTest {

    // Positions:              [CLS] B-PER X  I-PER O  B-LOC [SEP]
    private static final int[] GOLD_1 = {11, 4, 10, 5, 1, 8, 12};
    // Scored positions 1, 3, 4, 5 read B-PER I-PER X B-LOC: the X is a chunk of its own.
    private static final int[] PRED_1 = {1, 4, 5, 5, 10, 8, 1};
    // Positions:              [CLS] B-ORG X  O  B-MISC I-MISC [SEP]
    private static final int[] GOLD_2 = {11, 6, 10, 1, 2, 3, 12};
    // Position 2 (gold X) and 6 (gold [SEP]) are not scored, whatever is predicted there.
    private static final int[] PRED_2 = {4, 6, 4, 1, 2, 1, 0};

    @Test
    void aPredictedXIsAChunkThatMatchesNothing() {
        SpanScores scores = SpanScorer.score(ModelConfig.TWITTER_LABELS, List.of(GOLD_1), List.of(PRED_1));

        // gold {PER[0,2), LOC[3,4)}, predicted {PER[0,2), X[2,3), LOC[3,4)}
        assertThat(scores.overall()).isEqualTo(new SpanScores.Counts(2, 3, 2));
        assertThat(scores.overall().precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(scores.overall().recall()).isEqualTo(1.0);
        assertThat(scores.f1()).isCloseTo(0.8, within(1e-12));
        assertThat(scores.perType().get("PER")).isEqualTo(new SpanScores.Counts(1, 1, 1));
        assertThat(scores.perType().get("LOC")).isEqualTo(new SpanScores.Counts(1, 1, 1));
    }

    @Test
    void countsAddUpOverSentencesAndPerType() {
        SpanScores scores = SpanScorer.score(ModelConfig.TWITTER_LABELS, List.of(GOLD_1, GOLD_2), List.of(PRED_1, PRED_2));

        // Sentence 2: gold {ORG[0,1), MISC[2,4)}, predicted {ORG[0,1), MISC[2,3)}: 1 correct of 2, 2 gold.
        assertThat(scores.sentences()).isEqualTo(2);
        assertThat(scores.overall()).isEqualTo(new SpanScores.Counts(3, 5, 4));
        assertThat(scores.overall().precision()).isCloseTo(0.6, within(1e-12));
        assertThat(scores.overall().recall()).isCloseTo(0.75, within(1e-12));
        assertThat(scores.f1()).isCloseTo(2 * 0.6 * 0.75 / 1.35, within(1e-12));
        assertThat(scores.perType().keySet()).containsExactly("PER", "LOC", "ORG", "MISC");
        assertThat(scores.perType().get("ORG")).isEqualTo(new SpanScores.Counts(1, 1, 1));
        SpanScores.Counts misc = scores.perType().get("MISC");
        assertThat(misc).isEqualTo(new SpanScores.Counts(0, 1, 1));
        assertThat(misc.precision()).isZero();
        assertThat(misc.recall()).isZero();
        assertThat(misc.f1()).isZero();
    }

    @Test
    void noCorrectChunkGivesZerosNotNaN() {
        int[] gold = {11, 6, 7, 12};
        int[] none = {11, 1, 1, 12};
        SpanScores scores = SpanScorer.score(ModelConfig.TWITTER_LABELS, List.of(gold), List.of(none));

        assertThat(scores.overall()).isEqualTo(new SpanScores.Counts(0, 0, 1));
        assertThat(scores.overall().precision()).isZero();
        assertThat(scores.f1()).isZero();
        assertThat(scores.perType().get("PER")).isEqualTo(new SpanScores.Counts(0, 0, 0));
        assertThat(scores.perType().get("PER").f1()).isZero();
    }

    @Test
    void predictedClsSepAndPadAreUnmatchedChunksToo() {
        // Gold O B-PER O O at positions 1..4; predicted [CLS] B-PER [SEP] PAD.
        int[] gold = {11, 1, 4, 1, 1, 12};
        int[] predicted = {11, 11, 4, 12, 0, 12};
        SpanScores scores = SpanScorer.score(ModelConfig.TWITTER_LABELS, List.of(gold), List.of(predicted));

        assertThat(scores.overall()).isEqualTo(new SpanScores.Counts(1, 4, 1));
        assertThat(scores.overall().precision()).isEqualTo(0.25);
    }

    @Test
    void formatShowsOverallAndEachType() {
        String text = SpanScorer.score(ModelConfig.TWITTER_LABELS, List.of(GOLD_1), List.of(PRED_1)).format();

        assertThat(text).contains("Overall  P 0.6667 R 1.0000 F1 0.8000 (correct 2, predicted 3, gold 2) (1 sentences)");
        assertThat(text.lines()).hasSize(5);
        assertThat(text).contains("ORG      P 0.0000 R 0.0000 F1 0.0000 (correct 0, predicted 0, gold 0)");
    }

    @Test
    void rejectsMismatchedLengthsAndUnknownIds() {
        SpanScorer scorer = SpanScorer.twitter();
        assertThatThrownBy(() -> scorer.add(new int[] {11, 1, 12}, new int[] {11, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 positions");
        assertThatThrownBy(() -> scorer.add(new int[] {11, 1, 12}, new int[] {11, 13, 12}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag id 13");
    }
}
