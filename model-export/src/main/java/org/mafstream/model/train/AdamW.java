package org.mafstream.model.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov & Hutter): Adam with bias correction and weight decay applied to the weights
 * directly rather than through the gradient; the learning rate warms up linearly over
 * {@code warmupSteps}, then falls linearly to 0 at {@code totalSteps}; the gradients are first
 * clipped to a global L2 norm. Parameters are float32 blocks updated in place (the arithmetic is
 * double). {@link #save} and {@link #restore} carry the whole state, so training resumed from a
 * checkpoint takes exactly the steps an uninterrupted run takes.
 */
public final class AdamW implements Optimiser {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;
    private static final int FORMAT = 0x4d414657; // "MAFW"

    /** @param maxGradientNorm clip the global gradient norm to this; 0: no clipping */
    public record Settings(double learningRate, double weightDecay, int warmupSteps, int totalSteps,
                           double maxGradientNorm) {
        public Settings {
            if (learningRate <= 0 || weightDecay < 0 || warmupSteps < 0 || totalSteps < 1 || maxGradientNorm < 0) {
                throw new IllegalArgumentException("invalid AdamW settings: " + this);
            }
        }
    }

    private final Settings settings;
    private final List<String> names;
    private final List<float[]> parameters;
    private final boolean[] decays;
    private final List<float[]> firstMoments = new ArrayList<>();
    private final List<float[]> secondMoments = new ArrayList<>();
    private int steps;

    /**
     * @param names one per parameter block, in a fixed order (a checkpoint is matched by them)
     * @param decays which blocks get weight decay (BERT fine-tuning exempts biases and LayerNorm)
     */
    public AdamW(Settings settings, List<String> names, List<float[]> parameters, Predicate<String> decays) {
        if (names.size() != parameters.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + parameters.size() + " parameter blocks");
        }
        this.settings = settings;
        this.names = List.copyOf(names);
        this.parameters = parameters;
        this.decays = new boolean[names.size()];
        for (int b = 0; b < names.size(); b++) {
            this.decays[b] = decays.test(names.get(b));
            firstMoments.add(new float[parameters.get(b).length]);
            secondMoments.add(new float[parameters.get(b).length]);
        }
    }

    @Override
    public int steps() {
        return steps;
    }

    /** The learning rate of step {@code step} (1-based): linear warm-up, then linear decay to 0. */
    @Override
    public double learningRateAt(int step) {
        if (step <= settings.warmupSteps()) {
            return settings.learningRate() * step / Math.max(1, settings.warmupSteps());
        }
        double remaining = (double) (settings.totalSteps() - step) / Math.max(1, settings.totalSteps() - settings.warmupSteps());
        return settings.learningRate() * Math.max(0, remaining);
    }

    /**
     * One update with {@code gradients} (same order and sizes as the parameters).
     *
     * @return the global gradient norm before clipping
     */
    @Override
    public double step(List<float[]> gradients) {
        if (gradients.size() != parameters.size()) {
            throw new IllegalArgumentException(gradients.size() + " gradient blocks for " + parameters.size() + " parameter blocks");
        }
        double squares = 0;
        for (int b = 0; b < gradients.size(); b++) {
            float[] g = gradients.get(b);
            if (g.length != parameters.get(b).length) {
                throw new IllegalArgumentException(names.get(b) + ": gradient of " + g.length + " values for "
                        + parameters.get(b).length + " parameters");
            }
            for (float x : g) {
                squares += (double) x * x;
            }
        }
        double norm = Math.sqrt(squares);
        double clip = settings.maxGradientNorm() > 0 && norm > settings.maxGradientNorm() ? settings.maxGradientNorm() / norm : 1;
        steps++;
        double lr = learningRateAt(steps);
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        for (int b = 0; b < parameters.size(); b++) {
            float[] theta = parameters.get(b);
            float[] g = gradients.get(b);
            float[] m = firstMoments.get(b);
            float[] v = secondMoments.get(b);
            double decay = decays[b] ? lr * settings.weightDecay() : 0;
            for (int i = 0; i < theta.length; i++) {
                double gi = g[i] * clip;
                m[i] = (float) (BETA1 * m[i] + (1 - BETA1) * gi);
                v[i] = (float) (BETA2 * v[i] + (1 - BETA2) * gi * gi);
                double update = (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
                theta[i] = (float) (theta[i] - lr * update - decay * theta[i]);
            }
        }
        return norm;
    }

    /** Writes the step count, the parameters and both moments to {@code file} (atomically: a temporary file, then a rename). */
    @Override
    public void save(Path file) throws IOException {
        OptimiserStateFile.write(file, FORMAT, steps, names, null, List.of(parameters, firstMoments, secondMoments));
    }

    /** Loads what {@link #save} wrote into this optimiser's parameter blocks and moments; the blocks must match by name and size. */
    @Override
    public void restore(Path file) throws IOException {
        steps = OptimiserStateFile.read(file, FORMAT, "an AdamW", names, null, List.of(parameters, firstMoments, secondMoments));
    }
}
