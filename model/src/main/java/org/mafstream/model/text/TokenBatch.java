package org.mafstream.model.text;

import java.util.Arrays;

/** Sentences of real token ids padded to one length, and the real positions cut back out of a BERT output. */
public record TokenBatch(int[][] tokenIds, int length, int[] ids, int[] mask) {
    public static TokenBatch pad(int[][] tokenIds, int length) {
        int b = tokenIds.length;
        int[] ids = new int[b * length];
        int[] mask = new int[b * length];
        for (int i = 0; i < b; i++) {
            System.arraycopy(tokenIds[i], 0, ids, i * length, tokenIds[i].length);
            Arrays.fill(mask, i * length, i * length + tokenIds[i].length, 1);
        }
        return new TokenBatch(tokenIds, length, ids, mask);
    }

    public int size() {
        return tokenIds.length;
    }

    /** [B·length, width] output → [i] → sentence i's real rows, n_i × width floats. */
    public float[][] realPositions(float[] all, int width) {
        float[][] rows = new float[tokenIds.length][];
        for (int i = 0; i < tokenIds.length; i++) {
            rows[i] = Arrays.copyOfRange(all, i * length * width, (i * length + tokenIds[i].length) * width);
        }
        return rows;
    }
}
