package org.mafstream.model.train;

import java.util.ArrayList;
import java.util.List;
import org.mafstream.model.bundle.CrfParameters;
import org.mafstream.model.decode.CrfLattice;

/**
 * The trainable CRF, in pytorch-crf 0.7.2's terms: a tag sequence y over positions 0..n-1 scores
 * start[y0] + e[0][y0] + sum over t >= 1 of (transitions[y(t-1)][y(t)] + e[t][y(t)]) + end[y(n-1)].
 * Its loss is the negative log-likelihood log Z - score(gold). Double precision.
 */
public final class LinearChainCrf {
    final double[] start;
    final double[] end;
    final double[][] transitions;

    /** All scores zero: every tag sequence equally likely. */
    public LinearChainCrf(int tags) {
        this.start = new double[tags];
        this.end = new double[tags];
        this.transitions = new double[tags][tags];
    }

    public int numTags() {
        return start.length;
    }

    /** Score of the tag sequence {@code tags[0..length)}. */
    public double score(double[][] emissions, int[] tags, int length) {
        double score = start[tags[0]] + emissions[0][tags[0]] + end[tags[length - 1]];
        for (int t = 1; t < length; t++) {
            score += transitions[tags[t - 1]][tags[t]] + emissions[t][tags[t]];
        }
        return score;
    }

    public CrfLattice lattice(double[][] emissions, int length) {
        return new CrfLattice(start, end, transitions, emissions, length);
    }

    /**
     * The NLL of {@code gold}, with its gradient: d/d emissions (marginal minus gold one-hot) is
     * written to {@code emissionGradient[0..length)}; d/d start, end and transitions (expected
     * minus gold counts) is added to {@code gradient}.
     */
    public double negativeLogLikelihood(double[][] emissions, int[] gold, int length,
                                        double[][] emissionGradient, LinearChainCrf gradient) {
        CrfLattice lattice = lattice(emissions, length);
        int n = numTags();
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < n; j++) {
                emissionGradient[t][j] = lattice.marginal(t, j);
            }
            emissionGradient[t][gold[t]] -= 1;
        }
        // start and end scores sit beside the first and last emissions: same gradient.
        for (int j = 0; j < n; j++) {
            gradient.start[j] += emissionGradient[0][j];
            gradient.end[j] += emissionGradient[length - 1][j];
        }
        for (int t = 1; t < length; t++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    gradient.transitions[i][j] += lattice.pairMarginal(t, i, j);
                }
            }
            gradient.transitions[gold[t - 1]][gold[t]] -= 1;
        }
        return lattice.logPartition() - score(emissions, gold, length);
    }

    /** The float32 parameters, as stored and as the runtime's Viterbi decodes with them. */
    public CrfParameters toFloat() {
        float[][] rows = new float[numTags()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Floats.narrow(transitions[i]);
        }
        return new CrfParameters(Floats.narrow(start), Floats.narrow(end), rows);
    }

    /** The parameter arrays in a fixed order (transition rows one by one), for element-wise updates. */
    List<double[]> blocks() {
        List<double[]> blocks = new ArrayList<>(List.of(start, end));
        blocks.addAll(List.of(transitions));
        return blocks;
    }
}
