package org.mafstream.job.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mafstream.job.testing.TrainedTextBundle;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.graph.Gelu;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.pretrained.FrozenBert;
import org.mafstream.model.pretrained.GoogleBertWeights;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;
import org.mafstream.model.train.ConllSentences;
import org.mafstream.model.train.FrozenBertFeatures;
import org.mafstream.model.train.GoldTags;
import org.mafstream.model.train.HeadEvaluation;
import org.mafstream.model.train.LabelledSentence;
import org.mafstream.model.train.SentenceFeatures;
import org.mafstream.model.train.SpanScores;
import org.mafstream.model.train.TaggedSentences;
import org.mafstream.model.train.TextHead;
import org.mafstream.model.export.TrainedTextModel;
import org.junit.jupiter.api.Test;

/**
 * The evaluate tool scores the trained bundle through the job's runtime (TensorFlow graph at the
 * batch's length bucket, batched, Viterbi) exactly as the trainer scores its heads in plain Java over frozen
 * BERT features: two independent paths that must agree on the same sentences.
 */
class EvaluateModelIT {
    private static final Path TEST = Path.of(System.getProperty("shared.dir", "../../shared"), "data", "twitter2017", "test.txt");
    private static final int SENTENCES = 80;

    @Test
    void runtimeScoresEqualTheTrainersOnTheSameSentences() throws Exception {
        Path bundle = TrainedTextBundle.path();
        EvaluateModel.Result runtime = EvaluateModel.evaluate(
                new EvaluateModel.Settings(bundle, TEST, 16, SENTENCES, false, null), new PrintStream(OutputStream.nullOutputStream()));

        List<LabelledSentence> sentences = ConllSentences.read(TEST).subList(0, SENTENCES);
        MafTextEncoder encoder = new MafTextEncoder(Vocabulary.load(BundleLayout.vocab(bundle)), false, 128);
        List<EncodedText> texts = new ArrayList<>();
        List<int[]> gold = new ArrayList<>();
        for (LabelledSentence sentence : sentences) {
            EncodedText text = encoder.encode(sentence.words());
            texts.add(text);
            gold.add(GoldTags.of(text, sentence.labels(), ModelConfig.TWITTER_LABELS));
        }
        SpanScores trainer;
        EasyBertModule module = EasyBertModule.unpack(TrainedTextBundle.MODELS);
        try (GoogleBertWeights weights = new GoogleBertWeights(module.variablesPrefix());
             FrozenBert bert = new FrozenBert(BertShape.BASE_CASED, Gelu.ERF, weights, 32, 64)) {
            SentenceFeatures features = FrozenBertFeatures.compute(bert, texts, "test subset", "test",
                    new PrintStream(OutputStream.nullOutputStream()));
            trainer = HeadEvaluation.evaluate(TextHead.from(TrainedTextModel.builtInHeads()),
                    TaggedSentences.of("test", texts, gold, features), ModelConfig.TWITTER_LABELS);
        }

        System.out.printf("evaluate (runtime) on %d test sentences:%n%s", SENTENCES, runtime.original().format());
        System.out.printf("trainer (frozen features):%n%s", trainer.format());
        assertThat(runtime.original().overall()).isEqualTo(trainer.overall());
        assertThat(runtime.original().perType()).isEqualTo(trainer.perType());
        assertThat(runtime.original().overall().gold()).isPositive();
        // A trained model, not chance: well above what a random head scores (about 0).
        assertThat(runtime.original().f1()).isGreaterThan(0.5);
        // The job's entity spans miss only what the original counts differently (X, [CLS], [SEP]).
        assertThat(runtime.spans().overall().gold()).isEqualTo(runtime.original().overall().gold());
    }

    /** The bundle's length buckets (batches of tweets run at 16-64 positions) change no tag against its full 128. */
    @Test
    void lengthBucketsGiveTheTagsOfTheFullLength() throws Exception {
        Path bundle = TrainedTextBundle.path();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        EvaluateModel.Result buckets = EvaluateModel.evaluate(new EvaluateModel.Settings(bundle, TEST, 8, 40, false, null), quiet);
        EvaluateModel.Result full = EvaluateModel.evaluate(new EvaluateModel.Settings(bundle, TEST, 8, 40, true, null), quiet);
        assertThat(buckets.tags()).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(buckets.tags().get(i)).as("sentence %d", i).containsExactly(full.tags().get(i));
        }
        assertThat(buckets.original().overall()).isEqualTo(full.original().overall());
    }

    @Test
    void aMissingBundleOptionIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EvaluateModel.run(new String[] {"--data", TEST.toString()},
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bundle");
    }
}
