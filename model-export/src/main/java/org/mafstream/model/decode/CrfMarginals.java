package org.mafstream.model.decode;

import org.mafstream.model.bundle.CrfParameters;

/**
 * Per-position tag marginals P(tag_t = j | emissions) of the linear-chain CRF, by
 * forward-backward in log space (double precision). Used for entity confidence.
 */
public final class CrfMarginals {
    private final CrfParameters crf;

    public CrfMarginals(CrfParameters crf) {
        this.crf = crf;
    }

    /** @return [length][tags], each row summing to 1 */
    public double[][] compute(float[][] emissions, int length) {
        int n = crf.numTags();
        float[][] transitions = crf.transitions();
        double[][] alpha = new double[length][n];
        double[][] beta = new double[length][n];
        for (int j = 0; j < n; j++) {
            alpha[0][j] = crf.start()[j] + emissions[0][j];
            beta[length - 1][j] = crf.end()[j];
        }
        double[] terms = new double[n];
        for (int t = 1; t < length; t++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    terms[i] = alpha[t - 1][i] + transitions[i][j];
                }
                alpha[t][j] = logSumExp(terms) + emissions[t][j];
            }
        }
        for (int t = length - 2; t >= 0; t--) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    terms[j] = transitions[i][j] + emissions[t + 1][j] + beta[t + 1][j];
                }
                beta[t][i] = logSumExp(terms);
            }
        }
        for (int j = 0; j < n; j++) {
            terms[j] = alpha[length - 1][j] + crf.end()[j];
        }
        double logPartition = logSumExp(terms);
        double[][] marginals = new double[length][n];
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < n; j++) {
                marginals[t][j] = Math.exp(alpha[t][j] + beta[t][j] - logPartition);
            }
        }
        return marginals;
    }

    static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
