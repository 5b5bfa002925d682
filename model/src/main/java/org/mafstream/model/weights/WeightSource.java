package org.mafstream.model.weights;

import java.io.IOException;

/** Where a graph's weights come from: a checkpoint, or deterministic random values. */
public interface WeightSource {

    /** The float32 values of {@code key}, row-major, after checking they have {@code shape}. */
    float[] read(String key, long[] shape) throws IOException;
}
