package org.mafstream.model.multimodal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ResNetShape;
import org.mafstream.model.graph.ResNetGraph;
import org.mafstream.model.graph.WeightedGraph;
import org.mafstream.model.train.SessionWeights;
import org.mafstream.model.weights.WeightSource;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * MAF's frozen image encoder as the original runs it while MAF trains (run_gate_cl.py:792-801):
 * forward only, no gradient, and BatchNorm in train mode ({@link #trainFeatures}): each batch is
 * normalised with its own statistics, and every BatchNorm's running mean and variance drift
 * towards them (PyTorch's momentum 0.1, unbiased variance; {@code num_batches_tracked} counts the
 * batches). The drifted statistics are what the original saves in {@code pytorch_encoder.bin},
 * and what {@link #evalFeatures} (eval mode, as the original's validation and inference) uses.
 */
public final class ImageFeatureGraph implements AutoCloseable {
    /** PyTorch BatchNorm's default momentum: running ← (1 − m)·running + m·batch. */
    public static final double MOMENTUM = 0.1;

    /** A batch's features: layer4's regions [B, 49, C] and their mean per channel [B, C] (the original's {@code imgs_f}). */
    public record Features(float[] regions, float[] pooled) {}

    private final WeightedGraph g = new WeightedGraph();
    private final ResNetShape shape;
    private final Placeholder<TFloat32> pixels;
    private final Outputs batchStatistics;
    private final Outputs runningStatistics;
    private final List<ResNetGraph.BatchMoments> moments;
    private final Session session;
    private final SessionWeights weights;
    private final Map<String, float[]> running = new LinkedHashMap<>();
    private long batchesTracked;

    private record Outputs(Operand<TFloat32> regions, Operand<TFloat32> pooled) {}

    /**
     * @param weights the encoder's weights and running statistics ({@code pytorch_encoder.bin} keys)
     * @param batchesTracked the encoder's {@code num_batches_tracked} so far (0 for a fresh ImageNet encoder)
     */
    public ImageFeatureGraph(ResNetShape shape, WeightSource weights, long batchesTracked) throws IOException {
        this.shape = shape;
        this.batchesTracked = batchesTracked;
        Ops tf = g.tf();
        ResNetGraph training = new ResNetGraph(g, shape, ResNetGraph.Statistics.BATCH);
        pixels = training.input();
        batchStatistics = outputs(tf, training.layer4(pixels));
        moments = training.batchMoments();
        // The same variables (keys) in eval mode: running statistics.
        runningStatistics = outputs(tf, new ResNetGraph(g, shape, ResNetGraph.Statistics.RUNNING).layer4(pixels));
        session = new Session(g.graph());
        g.fill(session, weights, key -> { });
        List<String> statistics = new ArrayList<>();
        for (ResNetGraph.BatchMoments m : moments) {
            statistics.add(m.prefix() + ".running_mean");
            statistics.add(m.prefix() + ".running_var");
        }
        this.weights = new SessionWeights(g, session, statistics);
        List<float[]> values = this.weights.values(statistics);
        for (int i = 0; i < statistics.size(); i++) {
            running.put(statistics.get(i), values.get(i));
        }
    }

    private Outputs outputs(Ops tf, Operand<TFloat32> layer4) {
        Operand<TFloat32> regions = tf.reshape(layer4, tf.constant(new int[] {-1, MafShape.REGIONS, shape.outputChannels()}));
        return new Outputs(regions, tf.math.mean(regions, tf.constant(1), Mean.keepDims(false)));
    }

    /**
     * Train mode: the features of a batch of B images normalised with the batch's statistics; then
     * the running statistics take one momentum step towards them.
     *
     * @param nhwc [B, 224, 224, 3] normalized pixels, row-major
     */
    public Features trainFeatures(float[] nhwc, int batch) {
        try (TFloat32 input = input(nhwc, batch)) {
            Session.Runner runner = session.runner().feed(pixels, input)
                    .fetch(batchStatistics.regions()).fetch(batchStatistics.pooled());
            for (ResNetGraph.BatchMoments m : moments) {
                runner.fetch(m.mean()).fetch(m.variance());
            }
            try (Result result = runner.run()) {
                List<String> keys = new ArrayList<>(2 * moments.size());
                List<float[]> values = new ArrayList<>(2 * moments.size());
                for (int i = 0; i < moments.size(); i++) {
                    String prefix = moments.get(i).prefix();
                    keys.add(prefix + ".running_mean");
                    values.add(drift(prefix + ".running_mean", SessionWeights.floats((TFloat32) result.get(2 + 2 * i))));
                    keys.add(prefix + ".running_var");
                    values.add(drift(prefix + ".running_var", SessionWeights.floats((TFloat32) result.get(3 + 2 * i))));
                }
                weights.assignAll(keys, values);
                batchesTracked++;
                return new Features(SessionWeights.floats((TFloat32) result.get(0)), SessionWeights.floats((TFloat32) result.get(1)));
            }
        }
    }

    /** Eval mode: features with the current running statistics (independent of the batch). */
    public Features evalFeatures(float[] nhwc, int batch) {
        try (TFloat32 input = input(nhwc, batch);
             Result result = session.runner().feed(pixels, input)
                     .fetch(runningStatistics.regions()).fetch(runningStatistics.pooled()).run()) {
            return new Features(SessionWeights.floats((TFloat32) result.get(0)), SessionWeights.floats((TFloat32) result.get(1)));
        }
    }

    /** The running statistics now ({@code <bn>.running_mean}, {@code <bn>.running_var}), in the order the layers run. */
    public Map<String, float[]> runningStatistics() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        running.forEach((key, values) -> copy.put(key, values.clone()));
        return copy;
    }

    /** Sets the running statistics (a resumed run's) and the batch count. */
    public void restore(Map<String, float[]> statistics, long batches) {
        if (!statistics.keySet().equals(running.keySet())) {
            throw new IllegalArgumentException("running statistics for " + statistics.size() + " keys, the encoder has "
                    + running.size());
        }
        List<String> keys = List.copyOf(running.keySet());
        List<float[]> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            float[] restored = statistics.get(key).clone();
            if (restored.length != running.get(key).length) {
                throw new IllegalArgumentException(key + ": " + restored.length + " values, expected " + running.get(key).length);
            }
            running.put(key, restored);
            values.add(restored.clone());
        }
        weights.assignAll(keys, values);
        batchesTracked = batches;
    }

    /** Batches run in train mode, over the encoder's life ({@code num_batches_tracked} of every BatchNorm). */
    public long batchesTracked() {
        return batchesTracked;
    }

    private float[] drift(String key, float[] batchValues) {
        float[] values = running.get(key);
        for (int c = 0; c < values.length; c++) {
            values[c] = (float) ((1 - MOMENTUM) * values[c] + MOMENTUM * batchValues[c]);
        }
        return values.clone();
    }

    private TFloat32 input(float[] nhwc, int batch) {
        long expected = (long) batch * MafShape.IMAGE_SIZE * MafShape.IMAGE_SIZE * 3;
        if (nhwc.length != expected) {
            throw new IllegalArgumentException(nhwc.length + " pixel values for " + batch + " images, expected " + expected);
        }
        return TFloat32.tensorOf(Shape.of(batch, MafShape.IMAGE_SIZE, MafShape.IMAGE_SIZE, 3), DataBuffers.of(nhwc, true, false));
    }

    @Override
    public void close() {
        session.close();
        g.close();
    }
}
