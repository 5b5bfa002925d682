package org.mafstream.job.inference;

import java.util.Arrays;

/**
 * The text model's output for one post, at the positions its batch ran at (all 128 for a full
 * MAF; the batch's length bucket for a text-only bundle), which always include the text's own.
 *
 * @param emissions [positions × labels] CRF emission scores, row-major
 * @param labels the number of labels (the row width)
 * @param retainScore MAF's matching score P: how much image information the model kept
 * @param gateMean the token gate averaged over features, per position
 */
public record TextScores(float[] emissions, int labels, float retainScore, float[] gateMean) {
    public int positions() {
        return emissions.length / labels;
    }

    /** Position {@code t}'s emission scores, copied. */
    public float[] row(int t) {
        return Arrays.copyOfRange(emissions, t * labels, (t + 1) * labels);
    }
}
