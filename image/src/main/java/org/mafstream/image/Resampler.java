package org.mafstream.image;

/**
 * Resizes packed RGB pixels with a separable triangle (bilinear) filter whose support widens by
 * the downscale factor, so every source pixel contributes when shrinking (area-like
 * anti-aliasing, not the 4-pixel point sampling of a plain bilinear lookup). This is the
 * arithmetic of PIL's {@code Image.resize(size, BILINEAR)}, which torchvision's {@code Resize}
 * uses on PIL images, with pixel centres at i + 0.5. It is done here on int arrays so the result
 * does not depend on the JDK's rendering hints or pipelines; intermediate sums are doubles,
 * rounded to 8 bits once at the end. At scale 1 it is exactly the identity.
 */
final class Resampler {
    private Resampler() {}

    /**
     * Resizes {@code src} (w × h) to outW × outH and returns the window of cropW × cropH pixels at
     * (cropX, cropY) of that resized image; only the window is computed.
     */
    static int[] resize(int[] src, int w, int h, int outW, int outH, int cropX, int cropY, int cropW, int cropH) {
        Kernel horizontal = Kernel.triangle(w, outW, cropX, cropW);
        Kernel vertical = Kernel.triangle(h, outH, cropY, cropH);
        // Horizontal pass over only the source rows the vertical pass will read.
        int firstRow = vertical.start[0];
        int lastRow = vertical.start[cropH - 1] + vertical.count[cropH - 1];
        double[] rows = new double[(lastRow - firstRow) * cropW * 3];
        for (int y = firstRow; y < lastRow; y++) {
            int srcRow = y * w;
            int outRow = (y - firstRow) * cropW * 3;
            for (int x = 0; x < cropW; x++) {
                double r = 0;
                double g = 0;
                double b = 0;
                int start = horizontal.start[x];
                int k = x * horizontal.stride;
                for (int i = 0; i < horizontal.count[x]; i++) {
                    int p = src[srcRow + start + i];
                    double weight = horizontal.weights[k + i];
                    r += weight * (p >> 16 & 0xff);
                    g += weight * (p >> 8 & 0xff);
                    b += weight * (p & 0xff);
                }
                rows[outRow + 3 * x] = r;
                rows[outRow + 3 * x + 1] = g;
                rows[outRow + 3 * x + 2] = b;
            }
        }
        int[] out = new int[cropW * cropH];
        for (int y = 0; y < cropH; y++) {
            int start = vertical.start[y] - firstRow;
            int k = y * vertical.stride;
            for (int x = 0; x < cropW; x++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int i = 0; i < vertical.count[y]; i++) {
                    int at = ((start + i) * cropW + x) * 3;
                    double weight = vertical.weights[k + i];
                    r += weight * rows[at];
                    g += weight * rows[at + 1];
                    b += weight * rows[at + 2];
                }
                out[y * cropW + x] = to8(r) << 16 | to8(g) << 8 | to8(b);
            }
        }
        return out;
    }

    private static int to8(double v) {
        return (int) Math.min(255, Math.max(0, Math.floor(v + 0.5)));
    }

    /** For each output index of one axis: the first source index, how many follow, and their weights. */
    private record Kernel(int[] start, int[] count, double[] weights, int stride) {
        static Kernel triangle(int in, int out, int first, int length) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle's radius is 1 output pixel
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[length];
            int[] count = new int[length];
            double[] weights = new double[length * stride];
            for (int o = 0; o < length; o++) {
                double center = (first + o + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), in);
                double sum = 0;
                for (int i = min; i < max; i++) {
                    double weight = Math.max(0, 1 - Math.abs((i + 0.5 - center) / filterScale));
                    weights[o * stride + i - min] = weight;
                    sum += weight;
                }
                for (int i = 0; i < max - min; i++) {
                    weights[o * stride + i] /= sum; // sum > 0: the nearest source pixel is within half a pixel
                }
                start[o] = min;
                count[o] = max - min;
            }
            return new Kernel(start, count, weights, stride);
        }
    }
}
