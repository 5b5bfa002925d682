package org.mafstream.model.decode;

/**
 * Forward-backward over a linear-chain CRF (pytorch-crf 0.7.2 scores: start, transitions[i][j]
 * from tag i to tag j, end), in log space and double precision. Holds alpha (scores of all
 * prefixes ending in a tag, its emission included), beta (scores of all suffixes after a tag, the
 * end score included) and the log-partition, from which node and pairwise marginals follow.
 */
public final class CrfLattice {
    private final double[][] transitions;
    private final double[][] emissions;
    private final double[][] alpha;
    private final double[][] beta;
    private final double logPartition;

    /**
     * @param transitions [tags][tags]
     * @param emissions [positions][tags], at least {@code length} rows, referenced, not copied
     */
    public CrfLattice(double[] start, double[] end, double[][] transitions, double[][] emissions, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1, got " + length);
        }
        int n = start.length;
        this.transitions = transitions;
        this.emissions = emissions;
        this.alpha = new double[length][n];
        this.beta = new double[length][n];
        double[] terms = new double[n];
        for (int j = 0; j < n; j++) {
            alpha[0][j] = start[j] + emissions[0][j];
            beta[length - 1][j] = end[j];
        }
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
            terms[j] = alpha[length - 1][j] + end[j];
        }
        this.logPartition = logSumExp(terms);
    }

    public int length() {
        return alpha.length;
    }

    /** log Z: the log-sum-exp of the scores of all tag sequences. */
    public double logPartition() {
        return logPartition;
    }

    /** P(tag_t = j). */
    public double marginal(int t, int j) {
        return Math.exp(alpha[t][j] + beta[t][j] - logPartition);
    }

    /** P(tag_{t-1} = i, tag_t = j), for t >= 1. */
    public double pairMarginal(int t, int i, int j) {
        return Math.exp(alpha[t - 1][i] + transitions[i][j] + emissions[t][j] + beta[t][j] - logPartition);
    }

    public static double logSumExp(double[] values) {
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
