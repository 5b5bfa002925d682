package org.mafstream.model.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma & Ba) with bias correction, over parameter blocks updated element-wise in place:
 * θ -= lr · m̂ / (sqrt(v̂) + ε). Deterministic given the same gradients.
 */
final class Adam {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final List<double[]> parameters;
    private final List<double[]> firstMoments = new ArrayList<>();
    private final List<double[]> secondMoments = new ArrayList<>();
    private final double learningRate;
    private int steps;

    Adam(List<double[]> parameters, double learningRate) {
        this.parameters = parameters;
        this.learningRate = learningRate;
        for (double[] block : parameters) {
            firstMoments.add(new double[block.length]);
            secondMoments.add(new double[block.length]);
        }
    }

    /** One update with {@code gradients}, blocks in the same order and sizes as the parameters. */
    void step(List<double[]> gradients) {
        if (gradients.size() != parameters.size()) {
            throw new IllegalArgumentException(gradients.size() + " gradient blocks for " + parameters.size() + " parameter blocks");
        }
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        for (int b = 0; b < parameters.size(); b++) {
            double[] theta = parameters.get(b);
            double[] g = gradients.get(b);
            double[] m = firstMoments.get(b);
            double[] v = secondMoments.get(b);
            for (int i = 0; i < theta.length; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
                theta[i] -= learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
            }
        }
    }
}
