package org.mafstream.model.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The optimiser the original MAF trains with, {@code BertAdam} of its {@code mybert/optimization.py}
 * (the pytorch-pretrained-bert one), reproduced exactly, quirks included, so our training can be
 * checked against the original's. For each block with a gradient, in order:
 * <ol>
 * <li>clipping <em>per tensor</em>, not globally: g ·= c where c = maxGradientNorm / (‖g‖₂ + 1e-6)
 * is below 1 (torch's {@code clip_grad_norm_} called on the one parameter);</li>
 * <li>m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²;</li>
 * <li>u = m / (√v + ε) + wd·p, wd only where the decay predicate says so;</li>
 * <li>p ← p − lr_s·u with lr_s = lr·warmupLinear(k / totalSteps, warmup), k the block's steps
 * <em>before</em> this one, or lr_s = lr when totalSteps is −1.</li>
 * </ol>
 * There is no bias correction: the original has it commented out. So the first update is about
 * lr·√10·sign(g), not lr·sign(g), and the first step of a scheduled run moves nothing but the
 * moments, as k = 0 gives lr_s = 0. warmupLinear(x, w) is x/w below w, else 1 − x: after the
 * warm-up the rate drops from ≈ lr to lr·(1 − w), not a continuous ramp, and past totalSteps
 * it is negative; that is the original's schedule, kept.
 *
 * <p>A null gradient block means that parameter got no gradient this step (the original's
 * {@code p.grad is None}): the block is skipped entirely, no decay, no moment change, and its own
 * step count, which the original keeps per parameter and which drives its schedule, stays.
 * Arithmetic is double over float32 parameters and moments; the gradients are not modified
 * (the original clips {@code p.grad} in place).
 */
public final class BertAdam implements Optimiser {
    private static final int FORMAT = 0x4d414642; // "MAFB"; AdamW's is "MAFW"
    private static final double CLIP_EPSILON = 1e-6; // clip_grad_norm_'s

    /**
     * The original's hyper-parameters, with its names in the comments.
     *
     * @param warmup          {@code warmup}: fraction of totalSteps to warm up over, in [0, 1), or −1 (none)
     * @param totalSteps      {@code t_total}: the schedule's length, or −1 for a constant rate
     * @param maxGradientNorm {@code max_grad_norm}: the per-tensor clipping norm; ≤ 0: no clipping
     */
    public record Settings(double learningRate, double warmup, int totalSteps, double beta1, double beta2,
                           double epsilon, double weightDecay, double maxGradientNorm) {
        public Settings {
            if (!(learningRate >= 0) || !(warmup >= 0 && warmup < 1 || warmup == -1) || !(totalSteps > 0 || totalSteps == -1)
                    || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon >= 0) || !(weightDecay >= 0)
                    || Double.isNaN(maxGradientNorm)) {
                throw new IllegalArgumentException("invalid BertAdam settings: " + this);
            }
        }

        /** The original's defaults: b1 0.9, b2 0.999, e 1e-6, weight_decay 0.01, max_grad_norm 1.0. */
        public Settings(double learningRate, double warmup, int totalSteps) {
            this(learningRate, warmup, totalSteps, 0.9, 0.999, 1e-6, 0.01, 1.0);
        }
    }

    private final Settings settings;
    private final List<String> names;
    private final List<float[]> parameters;
    private final boolean[] decays;
    private final List<float[]> firstMoments = new ArrayList<>();
    private final List<float[]> secondMoments = new ArrayList<>();
    private final int[] blockSteps;
    private int steps;

    /**
     * @param names  one per parameter block, in a fixed order (a checkpoint is matched by them)
     * @param decays which blocks get weight decay; the original's rule is {@link #decays(String)}
     */
    public BertAdam(Settings settings, List<String> names, List<float[]> parameters, Predicate<String> decays) {
        if (names.size() != parameters.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + parameters.size() + " parameter blocks");
        }
        this.settings = settings;
        this.names = List.copyOf(names);
        this.parameters = List.copyOf(parameters);
        this.decays = new boolean[names.size()];
        this.blockSteps = new int[names.size()];
        for (int b = 0; b < names.size(); b++) {
            this.decays[b] = decays.test(names.get(b));
            firstMoments.add(new float[parameters.get(b).length]);
            secondMoments.add(new float[parameters.get(b).length]);
        }
    }

    /**
     * The original's parameter groups (run_gate_cl.py): no decay for names containing "bias",
     * "LayerNorm.bias" or "LayerNorm.weight", so the CRF and the embeddings are decayed.
     */
    public static boolean decays(String name) {
        return !name.contains("bias") && !name.contains("LayerNorm.weight");
    }

    @Override
    public int steps() {
        return steps;
    }

    /**
     * The rate of step number {@code step} (from 1) for a block that had a gradient at every
     * step: the original's {@code state['step']} before it is {@code step − 1}, so step 1 has
     * rate 0 unless totalSteps is −1.
     */
    @Override
    public double learningRateAt(int step) {
        if (step < 1) {
            throw new IllegalArgumentException("steps count from 1: " + step);
        }
        return rateAfter(step - 1);
    }

    /** The rate of a block's step that follows {@code done} of its steps. */
    private double rateAfter(int done) {
        if (settings.totalSteps() == -1) {
            return settings.learningRate();
        }
        double x = (double) done / settings.totalSteps();
        return settings.learningRate() * (x < settings.warmup() ? x / settings.warmup() : 1 - x);
    }

    /**
     * One step; a null block has no gradient this step (see the class comment).
     *
     * @return the L2 norm of all the non-null gradients together before clipping (each block is
     *         clipped on its own norm; this one is for the log)
     */
    @Override
    public double step(List<float[]> gradients) {
        if (gradients.size() != parameters.size()) {
            throw new IllegalArgumentException(gradients.size() + " gradient blocks for " + parameters.size() + " parameter blocks");
        }
        for (int b = 0; b < gradients.size(); b++) {
            float[] g = gradients.get(b);
            if (g != null && g.length != parameters.get(b).length) {
                throw new IllegalArgumentException(names.get(b) + ": gradient of " + g.length + " values for "
                        + parameters.get(b).length + " parameters");
            }
        }
        double squares = 0;
        for (int b = 0; b < parameters.size(); b++) {
            float[] g = gradients.get(b);
            if (g == null) {
                continue;
            }
            double blockSquares = 0;
            for (float x : g) {
                blockSquares += (double) x * x;
            }
            squares += blockSquares;
            double clip = settings.maxGradientNorm() > 0
                    ? Math.min(1, settings.maxGradientNorm() / (Math.sqrt(blockSquares) + CLIP_EPSILON)) : 1;
            double lr = rateAfter(blockSteps[b]);
            double decay = decays[b] ? settings.weightDecay() : 0;
            float[] p = parameters.get(b);
            float[] m = firstMoments.get(b);
            float[] v = secondMoments.get(b);
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] * clip;
                m[i] = (float) (settings.beta1() * m[i] + (1 - settings.beta1()) * gi);
                v[i] = (float) (settings.beta2() * v[i] + (1 - settings.beta2()) * gi * gi);
                double update = m[i] / (Math.sqrt(v[i]) + settings.epsilon()) + decay * p[i];
                p[i] = (float) (p[i] - lr * update);
            }
            blockSteps[b]++;
        }
        steps++;
        return Math.sqrt(squares);
    }

    /** Writes the step counts (also each block's), the parameters and both moments to {@code file}, atomically. */
    @Override
    public void save(Path file) throws IOException {
        OptimiserStateFile.write(file, FORMAT, steps, names, blockSteps, List.of(parameters, firstMoments, secondMoments));
    }

    @Override
    public void restore(Path file) throws IOException {
        steps = OptimiserStateFile.read(file, FORMAT, "a BertAdam", names, blockSteps, List.of(parameters, firstMoments, secondMoments));
    }

    /** Copies of one block's moments, for the tests. */
    float[] firstMoment(int block) {
        return firstMoments.get(block).clone();
    }

    float[] secondMoment(int block) {
        return secondMoments.get(block).clone();
    }
}
