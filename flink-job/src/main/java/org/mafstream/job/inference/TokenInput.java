package org.mafstream.job.inference;

/** One text's model input: input_ids, input_mask and segment_ids, each of the bundle's sequence length. */
public record TokenInput(int[] inputIds, int[] inputMask, int[] segmentIds) {}
