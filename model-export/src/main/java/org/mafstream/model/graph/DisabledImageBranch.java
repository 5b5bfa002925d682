package org.mafstream.model.graph;

import java.io.IOException;
import java.util.Arrays;
import org.mafstream.model.weights.WeightSource;

/**
 * The weights that switch MAF's image branch off while keeping its exact graph: the image
 * projection (vismap2text) is zero, the matching classifier's weight is zero and its bias
 * [0, -10000] makes the retain score P = softmax(...)[1] exactly 0 in float32 (exp(-10000)
 * underflows), so P · cross and with it the gate's image input are 0 and the emissions depend on
 * the text alone. The cross-attention layer and the gate are zero too (LayerNorm scales 1):
 * they are multiplied by P and cannot matter, but must be finite.
 */
public final class DisabledImageBranch implements WeightSource {
    static final float RETAIN_LOGIT_BIAS = -10000f;

    public static boolean owns(String key) {
        return key.startsWith("vismap2text.") || key.startsWith("txt2img_attention.")
                || key.startsWith("crs_classifier.") || key.startsWith("Gate_text.") || key.startsWith("Gate_image.");
    }

    @Override
    public float[] read(String key, long[] shape) throws IOException {
        if (!owns(key)) {
            throw new IOException("not a weight of the image branch: " + key);
        }
        float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        if (key.endsWith("LayerNorm.weight")) {
            Arrays.fill(values, 1f);
        } else if (key.equals("crs_classifier.bias")) {
            values[1] = RETAIN_LOGIT_BIAS;
        }
        return values;
    }
}
