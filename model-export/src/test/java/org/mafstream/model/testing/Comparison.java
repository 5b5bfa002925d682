package org.mafstream.model.testing;

/** Error of a float32 re-implementation against a golden tensor. */
public final class Comparison {
    private Comparison() {}

    /**
     * max|actual − golden| / max|golden|: the worst error relative to the tensor's scale, which
     * stays meaningful where single golden values are near zero.
     */
    public static double maxRelativeError(float[] actual, float[] golden) {
        if (actual.length != golden.length) {
            throw new AssertionError("length " + actual.length + " != golden " + golden.length);
        }
        double maxDiff = 0;
        double maxGolden = 0;
        for (int i = 0; i < golden.length; i++) {
            if (!Float.isFinite(actual[i])) {
                return Double.POSITIVE_INFINITY;
            }
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - golden[i]));
            maxGolden = Math.max(maxGolden, Math.abs(golden[i]));
        }
        return maxGolden == 0 ? maxDiff : maxDiff / maxGolden;
    }

    /** The index of the entry largest in magnitude (the first of equals). */
    public static int argMaxAbs(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i]) > Math.abs(values[best])) {
                best = i;
            }
        }
        return best;
    }
}
