package org.mafstream.job.inference;

/**
 * The text model's output for one post.
 *
 * @param emissions [sequence length][labels] CRF emission scores
 * @param retainScore MAF's matching score P: how much image information the model kept
 * @param gateMean the token gate averaged over features, per position
 */
public record TextScores(float[][] emissions, float retainScore, float[] gateMean) {}
