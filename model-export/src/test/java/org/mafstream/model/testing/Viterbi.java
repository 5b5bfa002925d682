package org.mafstream.model.testing;

import org.mafstream.model.bundle.CrfParameters;

/**
 * A minimal Viterbi decoder with pytorch-crf 0.7.2's semantics, for the parity test only (the
 * runtime's decoder comes with the inference issue). Ties resolve to the lowest tag id, as
 * torch.max does on CPU.
 */
public final class Viterbi {
    private Viterbi() {}

    /** Best tags for positions 0..length-1 of {@code emissions[t][tag]}. */
    public static int[] decode(float[][] emissions, int length, CrfParameters crf) {
        int n = crf.numTags();
        float[] score = new float[n];
        for (int j = 0; j < n; j++) {
            score[j] = crf.start()[j] + emissions[0][j];
        }
        int[][] back = new int[length][n];
        for (int t = 1; t < length; t++) {
            float[] next = new float[n];
            for (int j = 0; j < n; j++) {
                int best = 0;
                float bestScore = score[0] + crf.transitions()[0][j];
                for (int i = 1; i < n; i++) {
                    float s = score[i] + crf.transitions()[i][j];
                    if (s > bestScore) {
                        bestScore = s;
                        best = i;
                    }
                }
                next[j] = bestScore + emissions[t][j];
                back[t][j] = best;
            }
            score = next;
        }
        int last = 0;
        for (int j = 1; j < n; j++) {
            if (score[j] + crf.end()[j] > score[last] + crf.end()[last]) {
                last = j;
            }
        }
        int[] tags = new int[length];
        tags[length - 1] = last;
        for (int t = length - 1; t > 0; t--) {
            tags[t - 1] = back[t][tags[t]];
        }
        return tags;
    }
}
