package org.mafstream.model.multimodal;

/**
 * The original's matching negatives for one batch (mybert/gate_cl_modeling.py:1344-1362): when a
 * batch of B holds more than r = {@code negative_rate} samples, the last r are negatives, and the
 * first ⌊r/2⌋ of them swap their cross-attention rows with the next ⌊r/2⌋ (an odd r leaves its
 * last negative unswapped, as the original does). Otherwise every sample is matched.
 *
 * @param crossOrder row i of the features downstream of the cross attention is row {@code crossOrder[i]}
 * @param matched 1 where sample i keeps its own image's features (the matching target), 0 for a negative
 */
public record Negatives(int[] crossOrder, int[] matched) {

    /** @param negativeRate r, or 0 for no negatives */
    public static Negatives of(int batchSize, int negativeRate) {
        if (batchSize < 1 || negativeRate < 0) {
            throw new IllegalArgumentException("batch size " + batchSize + ", negative rate " + negativeRate);
        }
        int[] order = new int[batchSize];
        int[] matched = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            order[i] = i;
            matched[i] = 1;
        }
        if (negativeRate > 0 && batchSize > negativeRate) {
            int first = batchSize - negativeRate;
            int half = negativeRate / 2;
            for (int i = 0; i < half; i++) {
                order[first + i] = first + half + i;
                order[first + half + i] = first + i;
            }
            for (int i = first; i < batchSize; i++) {
                matched[i] = 0;
            }
        }
        return new Negatives(order, matched);
    }

    public int size() {
        return crossOrder.length;
    }
}
