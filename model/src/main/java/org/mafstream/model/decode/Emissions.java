package org.mafstream.model.decode;

/** Emission scores as the decoders read them: [positions × tags], row-major, in one array. */
final class Emissions {
    private Emissions() {}

    static float[] flatten(float[][] rows, int length) {
        if (length > rows.length) {
            throw new IllegalArgumentException("length " + length + " exceeds the " + rows.length + " emission rows");
        }
        int tags = length == 0 ? 0 : rows[0].length;
        float[] flat = new float[length * tags];
        for (int t = 0; t < length; t++) {
            System.arraycopy(rows[t], 0, flat, t * tags, tags);
        }
        return flat;
    }

    static void requireRows(float[] emissions, int tags, int length) {
        if (emissions.length < length * tags) {
            throw new IllegalArgumentException("emissions hold " + emissions.length / tags + " rows of " + tags
                    + " tags; " + length + " positions need decoding");
        }
    }
}
