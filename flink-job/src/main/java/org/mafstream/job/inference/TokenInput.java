package org.mafstream.job.inference;

/** One text's model input: input_ids, input_mask and segment_ids, each of the bundle's sequence length. */
public record TokenInput(int[] inputIds, int[] inputMask, int[] segmentIds) {
    /** The positions up to the last one the mask marks real ([CLS] ... [SEP]). */
    public int realLength() {
        for (int t = inputMask.length; t > 0; t--) {
            if (inputMask[t - 1] != 0) {
                return t;
            }
        }
        return 0;
    }
}
