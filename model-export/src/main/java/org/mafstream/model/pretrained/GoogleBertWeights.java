package org.mafstream.model.pretrained;

import java.io.IOException;
import java.nio.file.Path;
import org.mafstream.model.weights.WeightSource;

/**
 * Google BERT checkpoint variables ({@code module/bert/...}) served under MAF's PyTorch names
 * ({@code bert....}): LayerNorm gamma/beta become weight/bias, and dense kernels, stored
 * [in, out], are transposed to nn.Linear's [out, in].
 */
public final class GoogleBertWeights implements WeightSource, AutoCloseable {
    private static final String SCOPE = "module/bert/";

    private final TfCheckpointReader reader;

    public GoogleBertWeights(Path variablesPrefix) {
        this.reader = new TfCheckpointReader(variablesPrefix);
    }

    @Override
    public float[] read(String key, long[] shape) throws IOException {
        Variable variable = variableOf(key);
        if (!variable.transposed()) {
            return reader.read(variable.name(), shape);
        }
        return transpose(reader.read(variable.name(), new long[] {shape[1], shape[0]}), (int) shape[1], (int) shape[0]);
    }

    /** The checkpoint variable holding PyTorch key {@code key}, and whether it is a kernel to transpose. */
    static Variable variableOf(String key) {
        if (!key.startsWith("bert.")) {
            throw new IllegalArgumentException("not a BERT weight: " + key);
        }
        String path = key.substring("bert.".length()).replace("encoder.layer.", "encoder.layer_");
        int last = path.lastIndexOf('.');
        String module = path.substring(0, last).replace('.', '/');
        String leaf = path.substring(last + 1);
        if (module.endsWith("_embeddings") && leaf.equals("weight")) {
            return new Variable(SCOPE + module, false);
        }
        if (module.endsWith("LayerNorm")) {
            return new Variable(SCOPE + module + (leaf.equals("weight") ? "/gamma" : "/beta"), false);
        }
        return leaf.equals("weight") ? new Variable(SCOPE + module + "/kernel", true) : new Variable(SCOPE + module + "/bias", false);
    }

    record Variable(String name, boolean transposed) {}

    private static float[] transpose(float[] values, int rows, int cols) {
        float[] t = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = values[r * cols + c];
            }
        }
        return t;
    }

    @Override
    public void close() {
        reader.close();
    }
}
