package org.mafstream.job.inference;

/** A text with the image regions to read it with ([49 * channels], NHWC region order). */
public record TextInput(TokenInput tokens, float[] regions) {}
