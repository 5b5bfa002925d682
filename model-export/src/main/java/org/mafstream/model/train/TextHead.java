package org.mafstream.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.HeadParametersException;

/**
 * MAF's head with the image branch off: the retain score P is 0, so the classifier sees
 * concat(S, 0) and emissions = weight · S_t + bias over the text half of its input; then the CRF.
 * Parameters in double; {@link #blocks()} lists them for element-wise updates.
 */
public final class TextHead {
    /** BERT's initializer_range: the scale the original gives a fresh classifier. */
    static final double INIT_STD = 0.02;

    final int hidden;
    /** [tags][hidden]: the columns of classifier.weight that multiply S. */
    final double[][] weight;
    final double[] bias;
    final LinearChainCrf crf;

    private TextHead(int tags, int hidden) {
        this.hidden = hidden;
        this.weight = new double[tags][hidden];
        this.bias = new double[tags];
        this.crf = new LinearChainCrf(tags);
    }

    /** All zeros: a gradient buffer. */
    static TextHead zeros(int tags, int hidden) {
        return new TextHead(tags, hidden);
    }

    /** Weight ~ N(0, 0.02²) from {@code seed}; bias and CRF zero. */
    public static TextHead initialised(int tags, int hidden, long seed) {
        TextHead head = new TextHead(tags, hidden);
        Random random = new Random(seed);
        for (double[] row : head.weight) {
            for (int h = 0; h < hidden; h++) {
                row[h] = INIT_STD * random.nextGaussian();
            }
        }
        return head;
    }

    public int numTags() {
        return bias.length;
    }

    public int hidden() {
        return hidden;
    }

    public LinearChainCrf crf() {
        return crf;
    }

    /** [n][tags] emissions of sentence {@code sentence} of {@code features}. */
    public double[][] emissions(SentenceFeatures features, int sentence) {
        int length = features.lengths()[sentence];
        double[][] emissions = new double[length][numTags()];
        float[] values = features.values();
        for (int t = 0; t < length; t++) {
            int row = features.start(sentence, t);
            for (int j = 0; j < numTags(); j++) {
                double[] w = weight[j];
                double sum = bias[j];
                for (int h = 0; h < hidden; h++) {
                    sum += w[h] * values[row + h];
                }
                emissions[t][j] = sum;
            }
        }
        return emissions;
    }

    /** The NLL of one sentence's gold tags; its gradient is added to {@code gradient}. */
    double addGradient(SentenceFeatures features, int sentence, int[] gold, TextHead gradient) {
        int length = features.lengths()[sentence];
        double[][] emissions = emissions(features, sentence);
        double[][] emissionGradient = new double[length][numTags()];
        double loss = crf.negativeLogLikelihood(emissions, gold, length, emissionGradient, gradient.crf);
        float[] values = features.values();
        for (int t = 0; t < length; t++) {
            int row = features.start(sentence, t);
            for (int j = 0; j < numTags(); j++) {
                double g = emissionGradient[t][j];
                gradient.bias[j] += g;
                double[] w = gradient.weight[j];
                for (int h = 0; h < hidden; h++) {
                    w[h] += g * values[row + h];
                }
            }
        }
        return loss;
    }

    /** As float32 tensors under the checkpoint's keys, the classifier's image half zero. */
    public HeadParameters toParameters(List<String> labels, JsonNode training) throws HeadParametersException {
        int tags = numTags();
        if (labels.size() != tags) {
            throw new IllegalArgumentException(labels.size() + " labels for a head of " + tags + " tags");
        }
        float[] fullWeight = new float[tags * 2 * hidden];
        for (int j = 0; j < tags; j++) {
            for (int h = 0; h < hidden; h++) {
                fullWeight[j * 2 * hidden + h] = (float) weight[j][h];
            }
        }
        float[] transitions = new float[tags * tags];
        for (int i = 0; i < tags; i++) {
            for (int j = 0; j < tags; j++) {
                transitions[i * tags + j] = (float) crf.transitions[i][j];
            }
        }
        return HeadParameters.of(labels, hidden, fullWeight, Floats.narrow(bias), Floats.narrow(crf.start),
                Floats.narrow(crf.end), transitions, training);
    }

    /** The head stored in {@code parameters} (its float32 values, widened). */
    public static TextHead from(HeadParameters parameters) throws HeadParametersException {
        int tags = parameters.labels().size();
        int hidden = parameters.hidden();
        TextHead head = new TextHead(tags, hidden);
        float[] fullWeight = parameters.read(HeadParameters.WEIGHT, parameters.shape(HeadParameters.WEIGHT));
        for (int j = 0; j < tags; j++) {
            for (int h = 0; h < hidden; h++) {
                head.weight[j][h] = fullWeight[j * 2 * hidden + h];
            }
        }
        System.arraycopy(Floats.widen(parameters.read(HeadParameters.BIAS, new long[] {tags})), 0, head.bias, 0, tags);
        System.arraycopy(Floats.widen(parameters.read(HeadParameters.START, new long[] {tags})), 0, head.crf.start, 0, tags);
        System.arraycopy(Floats.widen(parameters.read(HeadParameters.END, new long[] {tags})), 0, head.crf.end, 0, tags);
        float[] transitions = parameters.read(HeadParameters.TRANSITIONS, new long[] {tags, tags});
        for (int i = 0; i < tags; i++) {
            for (int j = 0; j < tags; j++) {
                head.crf.transitions[i][j] = transitions[i * tags + j];
            }
        }
        return head;
    }

    /** Weight rows, bias, then the CRF's blocks: the same order for any two heads of one shape. */
    List<double[]> blocks() {
        List<double[]> blocks = new ArrayList<>(List.of(weight));
        blocks.add(bias);
        blocks.addAll(crf.blocks());
        return blocks;
    }

    TextHead copy() {
        TextHead copy = new TextHead(numTags(), hidden);
        copy.copyFrom(this);
        return copy;
    }

    void copyFrom(TextHead other) {
        List<double[]> to = blocks();
        List<double[]> from = other.blocks();
        for (int b = 0; b < to.size(); b++) {
            System.arraycopy(from.get(b), 0, to.get(b), 0, to.get(b).length);
        }
    }

    void clear() {
        for (double[] block : blocks()) {
            java.util.Arrays.fill(block, 0);
        }
    }

    void scale(double factor) {
        for (double[] block : blocks()) {
            for (int i = 0; i < block.length; i++) {
                block[i] *= factor;
            }
        }
    }

    /** this += other, block by block. */
    void add(TextHead other) {
        List<double[]> to = blocks();
        List<double[]> from = other.blocks();
        for (int b = 0; b < to.size(); b++) {
            double[] x = to.get(b);
            double[] y = from.get(b);
            for (int i = 0; i < x.length; i++) {
                x[i] += y[i];
            }
        }
    }
}
