package org.mafstream.model.graph;

import java.util.ArrayList;
import java.util.List;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ResNetShape;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * MAF's image encoder (the original {@code myResnet} over {@code resnet.py}'s bottleneck ResNet)
 * in NHWC with BatchNorm in inference form, using the checkpoint's own statistics. Returns
 * layer4's 7x7 map as 49 regions (r = 7·row + col), which is what the model consumes.
 * Padding is explicit and symmetric, as PyTorch pads; TensorFlow's SAME would pad
 * asymmetrically at stride 2. Weight names are the keys of {@code pytorch_encoder.bin}.
 *
 * <p>{@link Statistics#BATCH} is BatchNorm in train mode, as the original trains MAF: each layer
 * normalises with the batch's own mean and biased variance, and reports them ({@link
 * #batchMoments}) so the caller can update the running statistics as PyTorch does.
 */
public final class ResNetGraph {
    private static final String PREFIX = "resnet";

    /** Which statistics BatchNorm normalises with. */
    public enum Statistics {
        /** The checkpoint's running mean and variance (eval mode: inference). */
        RUNNING,
        /** The batch's own (train mode: what the original's encoder computes while MAF trains). */
        BATCH
    }

    /**
     * One BatchNorm layer's statistics of the batch just run (train mode).
     *
     * @param variance the unbiased variance, n/(n−1) times the one normalised with, as PyTorch's running update uses
     */
    public record BatchMoments(String prefix, int channels, Operand<TFloat32> mean, Operand<TFloat32> variance) {}

    private final WeightedGraph g;
    private final Ops tf;
    private final ResNetShape shape;
    private final Statistics statistics;
    private final List<BatchMoments> moments = new ArrayList<>();

    public ResNetGraph(WeightedGraph g, ResNetShape shape) {
        this(g, shape, Statistics.RUNNING);
    }

    public ResNetGraph(WeightedGraph g, ResNetShape shape, Statistics statistics) {
        this.g = g;
        this.tf = g.tf();
        this.shape = shape;
        this.statistics = statistics;
    }

    /** Train mode: every BatchNorm layer's batch moments, in the order the layers run (empty in eval mode). */
    public List<BatchMoments> batchMoments() {
        return List.copyOf(moments);
    }

    public Placeholder<TFloat32> input() {
        return tf.withName("pixels").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, MafShape.IMAGE_SIZE, MafShape.IMAGE_SIZE, 3)));
    }

    /** [B, 224, 224, 3] normalized pixels → [B, 49, C] regions. */
    public Operand<TFloat32> regions(Operand<TFloat32> pixels) {
        return tf.reshape(layer4(pixels), tf.constant(new int[] {-1, MafShape.REGIONS, shape.outputChannels()}));
    }

    /** [B, 224, 224, 3] normalized pixels → layer4's map [B, 7, 7, C]. */
    public Operand<TFloat32> layer4(Operand<TFloat32> pixels) {
        Operand<TFloat32> x = conv(pixels, PREFIX + ".conv1", 3, shape.stemChannels(), 7, 2, 3);
        x = tf.nn.relu(batchNorm(x, PREFIX + ".bn1", shape.stemChannels()));
        x = maxPool3x3Stride2(x);
        int[] blocks = shape.blocksPerStage();
        int[] planes = shape.planes();
        for (int stage = 0; stage < 4; stage++) {
            int in = shape.stageInputChannels(stage);
            for (int block = 0; block < blocks[stage]; block++) {
                String prefix = PREFIX + ".layer" + (stage + 1) + "." + block;
                boolean first = block == 0;
                x = bottleneck(x, prefix, first ? in : planes[stage] * ResNetShape.EXPANSION, planes[stage],
                        first ? ResNetShape.STRIDES[stage] : 1, first);
            }
        }
        return x;
    }

    private Operand<TFloat32> bottleneck(Operand<TFloat32> x, String prefix, int in, int planes, int stride, boolean downsample) {
        int out = planes * ResNetShape.EXPANSION;
        Operand<TFloat32> y = tf.nn.relu(batchNorm(conv(x, prefix + ".conv1", in, planes, 1, 1, 0), prefix + ".bn1", planes));
        y = tf.nn.relu(batchNorm(conv(y, prefix + ".conv2", planes, planes, 3, stride, 1), prefix + ".bn2", planes));
        y = batchNorm(conv(y, prefix + ".conv3", planes, out, 1, 1, 0), prefix + ".bn3", out);
        Operand<TFloat32> residual = downsample
                ? batchNorm(conv(x, prefix + ".downsample.0", in, out, 1, stride, 0), prefix + ".downsample.1", out)
                : x;
        return tf.nn.relu(tf.math.add(y, residual));
    }

    /**
     * Bias-free convolution with PyTorch's symmetric zero padding. At stride 1, TensorFlow's SAME
     * pads a 3x3 kernel by exactly 1 on each side, so only strided convolutions need an explicit pad.
     */
    private Operand<TFloat32> conv(Operand<TFloat32> x, String key, int in, int out, int kernel, int stride, int pad) {
        Operand<TFloat32> filter = g.convFilter(key + ".weight", out, in, kernel, kernel);
        List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
        if (pad == 0) {
            return tf.nn.conv2d(x, filter, strides, "VALID");
        }
        if (stride == 1 && kernel == 2 * pad + 1) {
            return tf.nn.conv2d(x, filter, strides, "SAME");
        }
        return tf.nn.conv2d(pad(x, pad, 0f), filter, strides, "VALID");
    }

    /**
     * BatchNorm2d as one FusedBatchNormV3. Eval mode: (x − running_mean)/sqrt(running_var + eps)·weight
     * + bias, which TensorFlow's CPU remapper folds into the convolution before it. Train mode: the
     * batch's mean and biased variance over B·H·W; the op's batch_variance output is the unbiased
     * one (exponential_avg_factor 1), which is what PyTorch's running update takes.
     */
    private Operand<TFloat32> batchNorm(Operand<TFloat32> x, String prefix, int channels) {
        Operand<TFloat32> mean = g.weight(prefix + ".running_mean", channels);
        Operand<TFloat32> var = g.weight(prefix + ".running_var", channels);
        Operand<TFloat32> gamma = g.weight(prefix + ".weight", channels);
        Operand<TFloat32> beta = g.weight(prefix + ".bias", channels);
        boolean training = statistics == Statistics.BATCH;
        FusedBatchNorm<TFloat32, TFloat32> norm = tf.nn.fusedBatchNorm(x, gamma, beta, mean, var,
                FusedBatchNorm.epsilon((float) shape.bnEps()), FusedBatchNorm.isTraining(training),
                FusedBatchNorm.dataFormat("NHWC"));
        if (training) {
            moments.add(new BatchMoments(prefix, channels, norm.batchMean(), norm.batchVariance()));
        }
        return norm.y();
    }

    /** MaxPool2d(3, stride 2, padding 1): the padding acts as −∞. */
    private Operand<TFloat32> maxPool3x3Stride2(Operand<TFloat32> x) {
        return tf.nn.maxPool(pad(x, 1, Float.NEGATIVE_INFINITY),
                tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
    }

    private Operand<TFloat32> pad(Operand<TFloat32> x, int p, float value) {
        return tf.pad(x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(value));
    }
}
