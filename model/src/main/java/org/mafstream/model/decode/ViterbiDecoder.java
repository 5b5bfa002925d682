package org.mafstream.model.decode;

import org.mafstream.model.bundle.CrfParameters;

/**
 * Viterbi decoding with pytorch-crf 0.7.2's semantics (batch_first, prefix mask): the best tag
 * sequence over positions 0..length-1, [CLS] and [SEP] included. Ties go to the lowest tag id,
 * as torch.max does on CPU. Scores are summed in float, as the original does in float32.
 */
public final class ViterbiDecoder {
    private final CrfParameters crf;

    public ViterbiDecoder(CrfParameters crf) {
        this.crf = crf;
    }

    /** @param emissions [positions][tags], at least {@code length} rows */
    public int[] decode(float[][] emissions, int length) {
        return decode(Emissions.flatten(emissions, length), length);
    }

    /** @param emissions [positions × tags] row-major, at least {@code length} rows */
    public int[] decode(float[] emissions, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1, got " + length);
        }
        int n = crf.numTags();
        Emissions.requireRows(emissions, n, length);
        float[][] transitions = crf.transitions();
        float[] score = new float[n];
        for (int j = 0; j < n; j++) {
            score[j] = crf.start()[j] + emissions[j];
        }
        int[][] backpointers = new int[length][n];
        float[] next = new float[n];
        for (int t = 1; t < length; t++) {
            for (int j = 0; j < n; j++) {
                int best = 0;
                float bestScore = score[0] + transitions[0][j];
                for (int i = 1; i < n; i++) {
                    float candidate = score[i] + transitions[i][j];
                    if (candidate > bestScore) {
                        bestScore = candidate;
                        best = i;
                    }
                }
                next[j] = bestScore + emissions[t * n + j];
                backpointers[t][j] = best;
            }
            float[] swap = score;
            score = next;
            next = swap;
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
            tags[t - 1] = backpointers[t][tags[t]];
        }
        return tags;
    }
}
