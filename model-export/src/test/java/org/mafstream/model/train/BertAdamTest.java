package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.checkpoint.TorchCheckpoint;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.testing.Npz;

/**
 * BertAdam against one step of the original's own BertAdam on the tiny fixture
 * (testdata/fixtures/maf-tiny-train, README sections 7 and 9), and by hand.
 */
class BertAdamTest {
    private static final String WORDS = "bert.embeddings.word_embeddings.weight";
    private static final double LR = 5e-5;

    private static Map<String, Npz.Array> golden;
    private static JsonNode json;
    /** The 76 tensors with a gradient, in the checkpoint's order, and their initial values. */
    private static List<String> names;
    private static List<float[]> initial;

    @TempDir
    Path dir;

    @BeforeAll
    static void readGolden() throws IOException {
        Path train = Fixtures.testdata().resolve("fixtures/maf-tiny-train");
        assertThat(train).as("training golden (set -Dtestdata.dir=<dir holding fixtures/>)").isDirectory();
        golden = Npz.read(train.resolve("train_golden.npz"));
        json = new ObjectMapper().readTree(train.resolve("train_golden.json").toFile());
        names = new ArrayList<>();
        initial = new ArrayList<>();
        try (TorchCheckpoint model = TorchCheckpoint.open(Fixtures.mafTiny().resolve("pytorch_model.bin"))) {
            for (String key : model.keys()) {
                if (golden.containsKey("grad/" + key)) {
                    names.add(key);
                    initial.add(model.readFloats(key, golden.get("grad/" + key).shape()));
                }
            }
        }
        assertThat(names).hasSize(76);
    }

    @Test
    void theFirstScheduledStepSetsTheOriginalsMomentsAndMovesNoParameter() {
        List<float[]> parameters = copies();
        BertAdam adam = new BertAdam(new BertAdam.Settings(LR, 0.1, 1196), names, parameters, BertAdam::decays);
        double norm = adam.step(gradients());

        double squares = 0;
        for (String name : names) {
            squares += Math.pow(golden.get("step0.grad_norm/" + name).values()[0], 2);
        }
        assertThat(norm).isCloseTo(Math.sqrt(squares), within(1e-6 * Math.sqrt(squares)));
        assertThat(adam.steps()).isEqualTo(1);
        assertThat(golden.get("step0.lr").values()[0]).isZero();
        double worstM = 0;
        double worstV = 0;
        for (int b = 0; b < names.size(); b++) {
            String name = names.get(b);
            double m = Comparison.maxRelativeError(adam.firstMoment(b), golden.get("step0.adam_m/" + name).floats());
            double v = Comparison.maxRelativeError(adam.secondMoment(b), golden.get("step0.adam_v/" + name).floats());
            assertThat(m).as("m of %s", name).isLessThanOrEqualTo(1e-6);
            assertThat(v).as("v of %s", name).isLessThanOrEqualTo(1e-6);
            worstM = Math.max(worstM, m);
            worstV = Math.max(worstV, v);
            assertThat(parameters.get(b)).as(name).isEqualTo(initial.get(b));
        }
        System.out.printf(Locale.ROOT, "BertAdam step 0: worst m %.2e, worst v %.2e (relative to each tensor's max)%n",
                worstM, worstV);
    }

    /**
     * The constant-rate step against {@code const_lr.param_after}. What is compared is the step
     * Δ = p_after − p: a bound relative to max |p| would hide it (Δ ≈ 1.6e-4 is 1e-4 of a
     * LayerNorm weight), and a bound relative to max |Δ| alone cannot hold, as both sides end
     * in a float32 p_after, which rounds Δ by up to an ulp of p (1.2e-7 for p ≈ 1, 7e-4 of Δ).
     * So an element may differ by that one ulp of rounding plus 1e-6 of the tensor's largest
     * |Δ|: the step is checked as finely as float32 parameters can hold it.
     *
     * <p>The three attention key biases have a true gradient of 0: their golden gradients are
     * float32 noise (< 1e-6) and their steps (≤ 2.8e-6) noise-driven, so a tolerance relative to
     * their own largest step would rest on noise. They get the absolute 1e-6 of the largest first
     * step any element can take, lr·0.1/√0.001 ≈ 1.6e-4 (what max |Δ| is for the other tensors).
     */
    @Test
    void aConstantRateStepMovesTheParametersAsTheOriginalDid() {
        List<float[]> parameters = copies();
        BertAdam adam = new BertAdam(new BertAdam.Settings(LR, 0.1, -1), names, parameters, BertAdam::decays);
        adam.step(gradients());
        Set<String> noise = new HashSet<>();
        json.get("zero_true_gradient").forEach(n -> noise.add(n.asText()));
        assertThat(noise).hasSize(3).isSubsetOf(names);
        double largestFirstStep = LR * 0.1 / Math.sqrt(0.001);
        double worst = 0;
        double worstNoise = 0;
        long differing = 0;
        long compared = 0;
        for (int b = 0; b < names.size(); b++) {
            String name = names.get(b);
            if (name.equals(WORDS)) {
                continue;
            }
            float[] expected = golden.get("const_lr.param_after/" + name).floats();
            compared += expected.length;
            for (int i = 0; i < expected.length; i++) {
                differing += parameters.get(b)[i] != expected[i] ? 1 : 0;
            }
            if (noise.contains(name)) {
                double error = stepError(parameters.get(b), expected, initial.get(b), largestFirstStep);
                assertThat(error).as(name).isLessThanOrEqualTo(1e-6);
                worstNoise = Math.max(worstNoise, error * largestFirstStep);
            } else {
                double error = stepError(parameters.get(b), expected, initial.get(b), largestStep(expected, initial.get(b)));
                assertThat(error).as(name).isLessThanOrEqualTo(1e-6);
                worst = Math.max(worst, error);
            }
        }

        int words = names.indexOf(WORDS);
        float[] before = initial.get(words);
        float[] after = parameters.get(words);
        int width = 32;
        float[] goldenRows = golden.get("const_lr.param_after_rows/" + WORDS).floats();
        int[] rows = golden.get("word_rows").ints();
        float[] ourRows = new float[goldenRows.length];
        float[] beforeRows = new float[goldenRows.length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(after, rows[r] * width, ourRows, r * width, width);
            System.arraycopy(before, rows[r] * width, beforeRows, r * width, width);
        }
        double rowsError = stepError(ourRows, goldenRows, beforeRows, largestStep(goldenRows, beforeRows));
        assertThat(rowsError).as("word rows with a gradient").isLessThanOrEqualTo(1e-6);

        // Every other row has g = 0, so m = v = 0 and u = wd·p: the original computes
        // p + (−(5e-5·(0.01·p))) in float32, rounding three times; our double arithmetic rounds
        // once, at the end, and still lands on the same float for all 922,560 values.
        Set<Integer> withGradient = new HashSet<>();
        Arrays.stream(rows).forEach(withGradient::add);
        int checked = 0;
        for (int r = 0; r < before.length / width; r++) {
            if (withGradient.contains(r)) {
                continue;
            }
            for (int i = r * width; i < (r + 1) * width; i++) {
                float p = before[i];
                float expected = p + -((float) LR * (0.01f * p));
                if (Float.floatToRawIntBits(after[i]) != Float.floatToRawIntBits(expected)) {
                    throw new AssertionError("word row " + r + "[" + (i - r * width) + "]: " + after[i] + " != " + expected);
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo((28996 - 166) * width);
        System.out.printf(Locale.ROOT, "BertAdam const lr: worst step error %.2e (beyond 1 ulp, of max |step|), key biases %.2e"
                        + " absolute, word rows %.2e; %d of %d compared values differ at all; %d decay-only values bit for bit%n",
                worst, worstNoise, rowsError, differing, compared, checked);
    }

    @Test
    void theScheduleIsTheOriginalsWarmupLinearIncludingItsJumpAndNegativeTail() {
        BertAdam adam = new BertAdam(new BertAdam.Settings(LR, 0.1, 1196), List.of("w"), List.of(new float[1]), n -> true);
        // Our step n is the original's state['step'] = n − 1 (README section 7 numbers those).
        assertThat(adam.learningRateAt(1)).isZero();
        assertThat(adam.learningRateAt(2)).isEqualTo(json.get("hyper_parameters").get("lr_step1").asDouble())
                .isEqualTo(4.180602006688963e-07);
        assertThat(adam.learningRateAt(120)).isCloseTo(4.97492e-05, within(5e-11));
        assertThat(adam.learningRateAt(121)).isCloseTo(4.49833e-05, within(5e-11));
        assertThat(adam.learningRateAt(1197)).isZero();
        assertThat(adam.learningRateAt(1198)).isNegative();
        assertThat(adam.learningRateAt(1219)).isCloseTo(-9.197e-07, within(5e-11));
        BertAdam constant = new BertAdam(new BertAdam.Settings(LR, 0.1, -1), List.of("w"), List.of(new float[1]), n -> true);
        assertThat(constant.learningRateAt(1)).isEqualTo(LR);
        assertThat(constant.learningRateAt(5000)).isEqualTo(LR);
        assertThatThrownBy(() -> adam.learningRateAt(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDecayRuleIsTheOriginalsParameterGroups() {
        Set<String> noDecay = new HashSet<>();
        json.get("weight_decay_0").forEach(n -> noDecay.add(n.asText()));
        assertThat(noDecay).hasSize(42).isSubsetOf(names);
        for (String name : names) {
            assertThat(BertAdam.decays(name)).as(name).isEqualTo(!noDecay.contains(name));
        }
        assertThat(BertAdam.decays("crf.transitions")).isTrue();
        assertThat(BertAdam.decays(WORDS)).isTrue();
        assertThat(BertAdam.decays("bert.embeddings.LayerNorm.weight")).isFalse();
    }

    /**
     * Two blocks over three steps, by hand (Python doubles): lr 0.1, warm-up 0.5 of 4 steps, so
     * a block's rates are 0, 0.05, 0.05, 0.025. "b.bias" has no gradient at step 1, so its own
     * count lags: its step 2 has rate 0, its step 3 rate 0.05; "w" has none at step 3.
     */
    @Test
    void byHandWithPerTensorClippingNoBiasCorrectionAndAMissingGradient() {
        float[] w = {1f, -2f};
        float[] bias = {0.5f};
        BertAdam adam = new BertAdam(new BertAdam.Settings(0.1, 0.5, 4), List.of("w", "b.bias"), List.of(w, bias),
                BertAdam::decays);
        // Step 1: ‖(3, 4)‖ = 5, clipped by 1/(5 + 1e-6); rate 0.
        assertThat(adam.step(Arrays.asList(new float[] {3f, 4f}, null))).isEqualTo(5.0);
        assertThat(w).containsExactly(1f, -2f);
        assertClose(adam.firstMoment(0), 0.059999988000002405, 0.0799999840000032);
        assertClose(adam.secondMoment(0), 0.00035999985600004326, 0.0006399997440000768);
        assertThat(adam.firstMoment(1)).containsExactly(0f);
        // Step 2: ‖(0.3, 0.4)‖ = 0.5 is not clipped (the factor 2 is not applied); w: rate 0.05 with
        // decay; b.bias: its first step, rate 0, ‖2‖ clipped to 1.
        assertThat(adam.step(List.of(new float[] {0.3f, 0.4f}, new float[] {2f}))).isCloseTo(2.0615528128088303, within(1e-7));
        assertClose(w, 0.8014401919075917, -2.19706214310164);
        assertClose(adam.firstMoment(0), 0.08399998920000216, 0.11199998560000289);
        assertClose(adam.secondMoment(0), 0.0004496398561440432, 0.0007993597442560766);
        assertThat(bias).containsExactly(0.5f);
        assertClose(adam.firstMoment(1), 0.099999950000025);
        // Step 3: w has no gradient and does not move; b.bias takes its second step, no decay.
        float[] wBefore = w.clone();
        assertThat(adam.step(Arrays.asList(null, new float[] {2f}))).isEqualTo(2.0);
        assertThat(w).containsExactly(wBefore);
        assertClose(bias, 0.287525167872046);
        assertClose(adam.secondMoment(1), 0.0019989980010014993);
        assertThat(adam.steps()).isEqualTo(3);
        assertThat(adam.learningRateAt(3)).isCloseTo(0.05, within(1e-15));
        assertThat(adam.learningRateAt(4)).isCloseTo(0.025, within(1e-15));
        assertThat(adam.learningRateAt(6)).isCloseTo(-0.025, within(1e-15));
    }

    @Test
    void badGradientsAndSettingsAreRefused() {
        BertAdam adam = new BertAdam(new BertAdam.Settings(0.1, 0.1, 10), List.of("w"), List.of(new float[2]), n -> true);
        assertThatThrownBy(() -> adam.step(List.of(new float[3]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("w: gradient of 3 values for 2");
        assertThatThrownBy(() -> adam.step(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BertAdam.Settings(0.1, 1.0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BertAdam.Settings(0.1, 0.1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new BertAdam.Settings(0.1, -1, -1).maxGradientNorm()).isEqualTo(1.0);
    }

    /**
     * The word embeddings miss step 2, so from then on their own count is one behind the others'
     * and their rates differ (0.5·lr, 0.9·lr, 0.85·lr over 20 steps): the resumed steps match only
     * if the per-block counts came back too.
     */
    @Test
    void aRestoredOptimiserTakesTheSameNextSteps() throws IOException {
        BertAdam.Settings settings = new BertAdam.Settings(LR, 0.1, 20);
        List<float[]> straight = copies();
        BertAdam first = new BertAdam(settings, names, straight, BertAdam::decays);
        first.step(gradients());
        first.step(withoutWords(gradients()));
        Path file = dir.resolve("bertadam.bin");
        first.save(file);
        first.step(gradients());
        first.step(gradients());

        List<float[]> resumedParameters = copies();
        BertAdam resumed = new BertAdam(settings, names, resumedParameters, BertAdam::decays);
        resumed.restore(file);
        assertThat(resumed.steps()).isEqualTo(2);
        resumed.step(gradients());
        resumed.step(gradients());
        assertThat(resumed.steps()).isEqualTo(4);
        for (int b = 0; b < names.size(); b++) {
            assertThat(resumedParameters.get(b)).as(names.get(b)).isEqualTo(straight.get(b));
            assertThat(resumed.firstMoment(b)).as(names.get(b)).isEqualTo(first.firstMoment(b));
            assertThat(resumed.secondMoment(b)).as(names.get(b)).isEqualTo(first.secondMoment(b));
        }
    }

    @Test
    void aStateFileOfOtherBlocksOrOfAdamWIsRefusedAndChangesNothing() throws IOException {
        Path file = dir.resolve("state.bin");
        BertAdam.Settings settings = new BertAdam.Settings(0.1, -1, -1);
        BertAdam saved = new BertAdam(settings, List.of("a", "b"), List.of(new float[] {1f}, new float[] {2f, 3f}), n -> true);
        saved.step(List.of(new float[] {1f}, new float[] {1f, 1f}));
        saved.save(file);

        float[] a = {7f};
        float[] b = {8f, 9f};
        BertAdam renamed = new BertAdam(settings, List.of("a", "c"), List.of(a, b), n -> true);
        assertThatThrownBy(() -> renamed.restore(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("block 1 is b [2], expected c [2]");
        assertThat(a).containsExactly(7f);
        assertThat(renamed.steps()).isZero();
        BertAdam resized = new BertAdam(settings, List.of("a", "b"), List.of(a, new float[3]), n -> true);
        assertThatThrownBy(() -> resized.restore(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("expected b [3]");
        BertAdam fewer = new BertAdam(settings, List.of("a"), List.of(a), n -> true);
        assertThatThrownBy(() -> fewer.restore(file)).isInstanceOf(IOException.class).hasMessageContaining("2 parameter blocks");
        assertThat(a).containsExactly(7f);

        AdamW adamW = new AdamW(new AdamW.Settings(0.1, 0.01, 1, 10, 1.0), List.of("a", "b"), List.of(a, b), n -> true);
        assertThatThrownBy(() -> adamW.restore(file)).isInstanceOf(IOException.class).hasMessageContaining("not an AdamW");
        Path adamWFile = dir.resolve("adamw.bin");
        adamW.save(adamWFile);
        BertAdam same = new BertAdam(settings, List.of("a", "b"), List.of(a, b), n -> true);
        assertThatThrownBy(() -> same.restore(adamWFile)).isInstanceOf(IOException.class).hasMessageContaining("not a BertAdam");

        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) - 2));
        assertThatThrownBy(() -> same.restore(file)).isInstanceOf(IOException.class);
        assertThat(a).containsExactly(7f);
        assertThat(b).containsExactly(8f, 9f);
    }

    /**
     * The worst element error of {@code actual} against {@code expected} beyond one float32 ulp
     * of the expected value, divided by {@code scale}.
     */
    private static double stepError(float[] actual, float[] expected, float[] before, double scale) {
        assertThat(actual).hasSameSizeAs(expected).hasSameSizeAs(before);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs((double) actual[i] - expected[i]) - Math.ulp(expected[i]);
            worst = Math.max(worst, error);
        }
        return worst / scale;
    }

    private static double largestStep(float[] after, float[] before) {
        double largest = 0;
        for (int i = 0; i < after.length; i++) {
            largest = Math.max(largest, Math.abs((double) after[i] - before[i]));
        }
        assertThat(largest).isPositive();
        return largest;
    }

    private static void assertClose(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("[%d]", i).isCloseTo(expected[i], within(1e-6 * Math.abs(expected[i])));
        }
    }

    private static List<float[]> copies() {
        return initial.stream().map(float[]::clone).toList();
    }

    private static List<float[]> gradients() {
        return names.stream().map(n -> golden.get("grad/" + n).floats()).toList();
    }

    private static List<float[]> withoutWords(List<float[]> gradients) {
        List<float[]> out = new ArrayList<>(gradients);
        out.set(names.indexOf(WORDS), null);
        return out;
    }
}
