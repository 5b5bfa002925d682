package org.mafstream.model.bundle;

/**
 * The CRF of MAF (pytorch-crf 0.7.2): {@code transitions[i][j]} scores moving from tag i to tag
 * j. Kept out of the graph: decoding runs in Java on the emissions.
 */
public record CrfParameters(float[] start, float[] end, float[][] transitions) {

    public CrfParameters {
        int n = start.length;
        if (end.length != n || transitions.length != n) {
            throw new IllegalArgumentException("CRF parameters disagree on the number of tags");
        }
        for (float[] row : transitions) {
            if (row.length != n) {
                throw new IllegalArgumentException("CRF transitions must be " + n + "x" + n);
            }
        }
    }

    public int numTags() {
        return start.length;
    }

    /** From the row-major [n*n] transitions of the checkpoint. */
    public static CrfParameters of(float[] start, float[] end, float[] transitionsRowMajor) {
        int n = start.length;
        float[][] transitions = new float[n][];
        for (int i = 0; i < n; i++) {
            transitions[i] = java.util.Arrays.copyOfRange(transitionsRowMajor, i * n, (i + 1) * n);
        }
        return new CrfParameters(start, end, transitions);
    }
}
