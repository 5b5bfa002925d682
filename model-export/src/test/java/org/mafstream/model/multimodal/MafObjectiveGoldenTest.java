package org.mafstream.model.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.graph.MafObjective;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.testing.Npz;

/**
 * MAF's training objective against one training step of the original code
 * (testdata/fixtures/maf-tiny-train): every loss term, the swapped negatives, the intermediates,
 * and the gradient of the total and of each term with respect to all 76 trainable tensors.
 */
class MafObjectiveGoldenTest {
    /** The README's bound for float32 loss terms. */
    private static final double LOSS_TOLERANCE = 1e-5;
    /** Per tensor, relative to its largest |gradient| (the golden's float32 gradients are good to 3.8e-5 of it). */
    private static final double GRADIENT_TOLERANCE = 1e-4;
    /** The attention key biases' true gradient is exactly 0; both sides hold float32 noise below this. */
    private static final double ZERO_GRADIENT_TOLERANCE = 1e-5;
    private static final Set<String> ZERO_TRUE_GRADIENT = Set.of("bert.encoder.layer.0.attention.self.key.bias",
            "bert.encoder.layer.1.attention.self.key.bias", "txt2img_attention.layer.0.attention.self.key.bias");

    static Map<String, Npz.Array> golden;
    static MafTrainingGraph graph;

    @BeforeAll
    static void buildTheGraph() throws Exception {
        Engine.getEngine("TensorFlow");
        golden = TrainGolden.arrays();
        graph = new MafTrainingGraph(MafShape.TINY, MafObjective.Weights.ORIGINAL, LowRankAdapters.NONE, 0f,
                TrainGolden.weights("pytorch_model.bin"), key -> true, true);
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    @Test
    void negativesSwapTheLastPairAsTheOriginalDoes() {
        Negatives negatives = Negatives.of(TrainGolden.B, 2);
        assertThat(negatives.crossOrder()).containsExactly(golden.get("swap_perm").ints());
        assertThat(negatives.matched()).containsExactly(golden.get("labels_crs").ints());
        assertThat(Negatives.of(TrainGolden.B, 16).matched()).containsExactly(golden.get("nr16.labels_crs").ints());
    }

    @Test
    void lossTermsMatchTheOriginal() {
        MafTrainingGraph.Forward forward = graph.forward(TrainGolden.batch(golden, Negatives.of(TrainGolden.B, 2)), 0);
        assertLosses(forward.losses(), "");
        assertClose("ca_text_to_image", forward.alignmentTextToImage(), scalar("ca_text_to_image"));
        assertClose("ca_image_to_text", forward.alignmentImageToText(), scalar("ca_image_to_text"));
        assertThat(Comparison.maxRelativeError(forward.sequenceOutput(), golden.get("sequence_output").floats())).isLessThan(1e-4);
        assertThat(Comparison.maxRelativeError(forward.pooledOutput(), golden.get("pooled_output").floats())).isLessThan(1e-4);
        assertThat(Comparison.maxRelativeError(forward.crsLogits(), golden.get("crs_logits").floats())).isLessThan(1e-4);
        assertThat(Comparison.maxRelativeError(forward.gate(), golden.get("gate").floats())).isLessThan(1e-4);
        assertThat(Comparison.maxRelativeError(forward.emissions(), golden.get("emissions").floats())).isLessThan(1e-4);
    }

    @Test
    void withTheDefaultNegativeRateABatchOfFourHasNoNegatives() {
        MafTrainingGraph.Forward forward = graph.forward(TrainGolden.batch(golden, Negatives.of(TrainGolden.B, 16)), 0);
        assertLosses(forward.losses(), "nr16.");
    }

    @Test
    void gradientOfTheTotalMatchesTheOriginalForEveryTensor() {
        MafTrainingGraph.Step step = graph.step(TrainGolden.batch(golden, Negatives.of(TrainGolden.B, 2)), 0);
        assertLosses(step.losses(), "");
        assertGradients("grad/", step.gradients());
    }

    @Test
    void gradientOfEachTermMatchesTheOriginal() {
        MafTrainingGraph.Batch batch = TrainGolden.batch(golden, Negatives.of(TrainGolden.B, 2));
        assertGradients("grad_crf/", graph.termGradients(batch, MafTrainingGraph.Term.CRF, 0));
        assertGradients("grad_cm/", graph.termGradients(batch, MafTrainingGraph.Term.MATCHING, 0));
        assertGradients("grad_ca/", graph.termGradients(batch, MafTrainingGraph.Term.ALIGNMENT, 0));
    }

    /** Keys the golden lacks under {@code prefix} are outside that term's graph: ours must be exactly zero there. */
    private static void assertGradients(String prefix, List<float[]> gradients) {
        List<String> keys = graph.weights().trainable();
        assertThat(keys).hasSize(76).hasSameSizeAs(gradients);
        List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstKey = null;
        Map<String, Double> byGroup = new java.util.TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            float[] ours = graph.weights().toStored(key, gradients.get(i));
            Npz.Array expected = golden.get(prefix + key);
            if (expected == null) {
                float largest = Math.abs(ours[Comparison.argMaxAbs(ours)]);
                if (largest != 0f) {
                    failures.add(key + ": not in this term's graph, but |gradient| reaches " + largest);
                }
                continue;
            }
            assertThat(expected.shape()).as(key).containsExactly(graph.weights().storedShape(key));
            float[] theirs = expected.floats();
            if (ZERO_TRUE_GRADIENT.contains(key)) {
                float largest = Math.max(Math.abs(ours[Comparison.argMaxAbs(ours)]), Math.abs(theirs[Comparison.argMaxAbs(theirs)]));
                if (largest > ZERO_GRADIENT_TOLERANCE) {
                    failures.add(key + ": true gradient 0, |gradient| reaches " + largest);
                }
                continue;
            }
            double error = Comparison.maxRelativeError(ours, theirs);
            byGroup.merge(group(key), error, Math::max);
            if (error > worst) {
                worst = error;
                worstKey = key;
            }
            if (error > GRADIENT_TOLERANCE) {
                failures.add(String.format(Locale.ROOT, "%s: max |ours − original| / max |original| = %.3g", key, error));
            }
        }
        System.out.printf(Locale.ROOT, "%s*: worst per-tensor error %.3g (%s); by group %s%n", prefix, worst, worstKey,
                byGroup.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2g", e.getKey(), e.getValue())).toList());
        assertThat(failures).isEmpty();
    }

    /** The module a weight belongs to, for the figures: e.g. bert.encoder, txt2img_attention, crf. */
    private static String group(String key) {
        String[] parts = key.split("\\.");
        return parts[0].equals("bert") ? parts[0] + "." + parts[1] : parts[0];
    }

    private static void assertLosses(MafTrainingGraph.Losses losses, String prefix) {
        assertClose(prefix + "loss_crf", losses.crf(), scalar(prefix + "loss_crf"));
        assertClose(prefix + "loss_cm", losses.matching(), scalar(prefix + "loss_cm"));
        assertClose(prefix + "loss_ca", losses.alignment(), scalar(prefix + "loss_ca"));
        assertClose(prefix + "loss", losses.total(), scalar(prefix + "loss"));
    }

    private static void assertClose(String what, double actual, double expected) {
        System.out.printf(Locale.ROOT, "%s: ours %.9g, original %.9g (relative error %.2e)%n", what, actual, expected,
                Math.abs(actual - expected) / Math.abs(expected));
        assertThat(actual).as(what).isCloseTo(expected, within(LOSS_TOLERANCE * Math.abs(expected)));
    }

    private static double scalar(String name) {
        return golden.get(name).values()[0];
    }
}
