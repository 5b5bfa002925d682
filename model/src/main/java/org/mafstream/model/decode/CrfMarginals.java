package org.mafstream.model.decode;

import org.mafstream.model.bundle.CrfParameters;

/**
 * Per-position tag marginals P(tag_t = j | emissions) of the linear-chain CRF, by
 * forward-backward in log space (double precision, {@link CrfLattice}). Used for entity
 * confidence.
 */
public final class CrfMarginals {
    private final double[] start;
    private final double[] end;
    private final double[][] transitions;

    public CrfMarginals(CrfParameters crf) {
        this.start = widen(crf.start());
        this.end = widen(crf.end());
        this.transitions = new double[crf.numTags()][];
        for (int i = 0; i < transitions.length; i++) {
            transitions[i] = widen(crf.transitions()[i]);
        }
    }

    /** @return [length][tags], each row summing to 1 */
    public double[][] compute(float[][] emissions, int length) {
        return compute(Emissions.flatten(emissions, length), length);
    }

    /** @param emissions [positions × tags] row-major, at least {@code length} rows */
    public double[][] compute(float[] emissions, int length) {
        int tags = start.length;
        Emissions.requireRows(emissions, tags, length);
        double[][] wide = new double[length][tags];
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < tags; j++) {
                wide[t][j] = emissions[t * tags + j];
            }
        }
        CrfLattice lattice = new CrfLattice(start, end, transitions, wide, length);
        double[][] marginals = new double[length][start.length];
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < start.length; j++) {
                marginals[t][j] = lattice.marginal(t, j);
            }
        }
        return marginals;
    }

    private static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }
}
