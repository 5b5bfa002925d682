package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.scoring.SpanScores;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;

class HeadTrainerTest {
    private static final List<String> LABELS = ModelConfig.TWITTER_LABELS;
    private static final TaggedSentences TRAIN = SyntheticSentences.generate("train", 300, 1, 0.15);
    private static final TaggedSentences VALID = SyntheticSentences.generate("valid", 100, 2, 0.15);
    private static final TrainerSettings FAST = new TrainerSettings(42, 30, 3, 0.05, 16, 0);

    @Test
    void learnsSeparableFeaturesAndKeepsTheBestEpoch() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        HeadTrainer.Outcome outcome = new HeadTrainer(FAST, LABELS, 2, new PrintStream(log, true, StandardCharsets.UTF_8))
                .train(TRAIN, VALID);

        SpanScores valid = HeadEvaluation.evaluate(outcome.head(), VALID, LABELS);
        assertThat(valid.f1()).isGreaterThan(0.95).isEqualTo(outcome.best().valid().f1());
        assertThat(outcome.epochs().get(0).meanLoss()).isGreaterThan(outcome.best().meanLoss());
        // Stopped by patience (F1 cannot beat its best forever), after the best epoch.
        assertThat(outcome.epochs()).hasSize(outcome.bestEpoch() + FAST.patience());
        assertThat(outcome.epochs().stream().mapToDouble(e -> e.valid().f1()).max().orElseThrow())
                .isEqualTo(outcome.best().valid().f1());
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("epoch   1  loss ").contains("valid P ")
                .contains("stopping, keeping epoch " + outcome.bestEpoch());

        // The kept head is the best epoch's: the same run cut at that epoch ends with the same parameters.
        TrainerSettings cut = new TrainerSettings(42, outcome.bestEpoch(), 3, 0.05, 16, 0);
        TextHead again = new HeadTrainer(cut, LABELS, 1, quiet()).train(TRAIN, VALID).head();
        assertSameParameters(again, outcome.head());
    }

    @Test
    void theSameSeedGivesBitIdenticalParametersWhateverTheThreads() {
        TrainerSettings settings = new TrainerSettings(7, 3, 3, 0.01, 32, 1e-3);

        TextHead one = new HeadTrainer(settings, LABELS, 1, quiet()).train(TRAIN, VALID).head();
        TextHead two = new HeadTrainer(settings, LABELS, 2, quiet()).train(TRAIN, VALID).head();
        TextHead otherSeed = new HeadTrainer(new TrainerSettings(8, 3, 3, 0.01, 32, 1e-3), LABELS, 2, quiet())
                .train(TRAIN, VALID).head();

        assertSameParameters(one, two);
        assertThat(otherSeed.weight[0][0]).isNotEqualTo(one.weight[0][0]);
    }

    @Test
    void l2ShrinksTheClassifierWeights() {
        TrainerSettings plain = new TrainerSettings(7, 2, 3, 0.01, 32, 0);
        TrainerSettings decayed = new TrainerSettings(7, 2, 3, 0.01, 32, 1.0);

        double plainNorm = norm(new HeadTrainer(plain, LABELS, 1, quiet()).train(TRAIN, VALID).head());
        double decayedNorm = norm(new HeadTrainer(decayed, LABELS, 1, quiet()).train(TRAIN, VALID).head());

        assertThat(decayedNorm).isLessThan(plainNorm);
    }

    @Test
    void featuresOfOtherSentencesAreRefusedWithTheSentenceNamed() {
        MafTextEncoder encoder = new MafTextEncoder(Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "a")), false, 128);
        List<EncodedText> texts = List.of(encoder.encode(List.of("a")), encoder.encode(List.of("a", "a")));
        SentenceFeatures wrong = SentenceFeatures.of(2, new int[] {3, 3}, new float[12], "k");

        assertThatThrownBy(() -> TaggedSentences.of("valid", texts, List.of(new int[3], new int[4]), wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid: sentence 1 encodes to 4 positions but its features have 3 rows");
        assertThatThrownBy(() -> new TaggedSentences("train", List.of(new int[3]), wrong))
                .hasMessageContaining("1 sentences but features for 2");
    }

    @Test
    void tagsOutsideTheLabelsAndMismatchedHiddenSizesAreRefused() {
        TaggedSentences badTags = new TaggedSentences("train", List.of(new int[] {11, 13, 12}),
                SentenceFeatures.of(SyntheticSentences.HIDDEN, new int[] {3}, new float[3 * SyntheticSentences.HIDDEN], "k"));
        TaggedSentences otherHidden = new TaggedSentences("valid", List.of(new int[] {11, 12}),
                SentenceFeatures.of(3, new int[] {2}, new float[6], "k"));

        assertThatThrownBy(() -> new HeadTrainer(FAST, LABELS, 1, quiet()).train(badTags, VALID))
                .hasMessageContaining("train: sentence 0 has tag id 13");
        assertThatThrownBy(() -> new HeadTrainer(FAST, LABELS, 1, quiet()).train(TRAIN, otherHidden))
                .hasMessageContaining("train features have 16 dimensions, valid 3");
    }

    static void assertSameParameters(TextHead expected, TextHead actual) {
        List<double[]> a = expected.blocks();
        List<double[]> b = actual.blocks();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("block %d", i).containsExactly(a.get(i));
        }
    }

    private static double norm(TextHead head) {
        double sum = 0;
        for (double[] row : head.weight) {
            for (double w : row) {
                sum += w * w;
            }
        }
        return sum;
    }

    private static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
