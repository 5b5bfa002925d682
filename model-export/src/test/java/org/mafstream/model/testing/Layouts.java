package org.mafstream.model.testing;

/** PyTorch's NCHW goldens in the NHWC / region-major layouts our graphs use. */
public final class Layouts {
    private Layouts() {}

    /** Example {@code b} of NCHW [B, C, H·W] as NHWC [H·W, C]. */
    public static float[] nhwc(float[] nchw, int b, int channels, int plane) {
        float[] out = new float[plane * channels];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                out[p * channels + c] = nchw[(b * channels + c) * plane + p];
            }
        }
        return out;
    }

    /** All {@code batch} examples of NCHW as NHWC, concatenated. */
    public static float[] nhwc(float[] nchw, int batch, int channels) {
        int plane = nchw.length / (batch * channels);
        float[] out = new float[nchw.length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(nhwc(nchw, b, channels, plane), 0, out, b * plane * channels, plane * channels);
        }
        return out;
    }
}
