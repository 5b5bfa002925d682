package org.mafstream.model.export;

import java.io.IOException;
import org.mafstream.model.checkpoint.TorchCheckpoint;
import org.mafstream.model.weights.WeightSource;

/** Weights read, one tensor at a time, from an original MAF checkpoint. */
final class CheckpointWeights implements WeightSource {
    private final TorchCheckpoint checkpoint;

    CheckpointWeights(TorchCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    @Override
    public float[] read(String key, long[] shape) throws IOException {
        return checkpoint.readFloats(key, shape);
    }
}
