package org.mafstream.model.graph;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mafstream.model.weights.WeightSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow graph whose weights are variables named after the checkpoint keys. Each variable
 * gets a placeholder and an assign op, and {@link #fill} feeds the values in one at a time, so
 * the weights end up in the SavedModel's {@code variables/} and never in the GraphDef (which is
 * limited to 2 GB), and no more than one tensor is held in Java at once.
 */
public final class WeightedGraph implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final List<Slot> slots = new ArrayList<>();
    private final java.util.Map<String, Slot> byKey = new java.util.HashMap<>();

    /** How a stored tensor maps onto the variable. */
    private enum Layout {
        AS_STORED,
        /** PyTorch conv weights [out, in, kh, kw] become TensorFlow filters [kh, kw, in, out]. */
        OIHW_TO_HWIO,
        /** PyTorch nn.Linear weights [out, in] become MatMul kernels [in, out]. */
        TRANSPOSED
    }

    private record Slot(String key, long[] storedShape, long[] graphShape, Layout layout,
                        Variable<TFloat32> variable, Placeholder<TFloat32> input, Assign<TFloat32> assign) {}

    public Ops tf() {
        return tf;
    }

    public Graph graph() {
        return graph;
    }

    /** The weight {@code key} with the shape the checkpoint stores it in. */
    public Operand<TFloat32> weight(String key, long... shape) {
        return slot(key, shape, shape, Layout.AS_STORED);
    }

    /** A convolution weight stored [out, in, kh, kw], as an NHWC filter [kh, kw, in, out]. */
    public Operand<TFloat32> convFilter(String key, long out, long in, long kh, long kw) {
        return slot(key, new long[] {out, in, kh, kw}, new long[] {kh, kw, in, out}, Layout.OIHW_TO_HWIO);
    }

    /**
     * An nn.Linear weight stored [out, in], as a MatMul kernel [in, out]: transposed once here, so
     * the product needs no transpose_b (which costs MatMul 5-10% on CPU).
     */
    public Operand<TFloat32> linearKernel(String key, long out, long in) {
        return slot(key, new long[] {out, in}, new long[] {in, out}, Layout.TRANSPOSED);
    }

    /** A key asked for again (e.g. by a second copy of BERT at another length) gets the same variable. */
    private Operand<TFloat32> slot(String key, long[] storedShape, long[] graphShape, Layout layout) {
        Slot existing = byKey.get(key);
        if (existing != null) {
            if (!java.util.Arrays.equals(existing.storedShape(), storedShape) || existing.layout() != layout) {
                throw new IllegalArgumentException("weight " + key + " requested with two different shapes");
            }
            return existing.variable();
        }
        Variable<TFloat32> variable = tf.withName(key).variable(Shape.of(graphShape), TFloat32.class);
        Placeholder<TFloat32> input = tf.withName(key + ".init_value")
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(graphShape)));
        Slot slot = new Slot(key, storedShape, graphShape, layout, variable, input,
                tf.withName(key + ".init").assign(variable, input));
        slots.add(slot);
        byKey.put(key, slot);
        return variable;
    }

    /** Every weight's key, in the order they were created. */
    public List<String> keys() {
        return slots.stream().map(Slot::key).toList();
    }

    /** The variable holding weight {@code key}, in the graph's layout (e.g. a MatMul kernel [in, out]). */
    public Operand<TFloat32> variable(String key) {
        return requireSlot(key).variable();
    }

    /** Overwrites one variable with {@code values}, given in the graph's layout. */
    public void assign(Session session, String key, float[] values) {
        Slot slot = requireSlot(key);
        try (TFloat32 tensor = TFloat32.tensorOf(Shape.of(slot.graphShape()), DataBuffers.of(values, true, false))) {
            session.runner().feed(slot.input(), tensor).addTarget(slot.assign()).run();
        }
    }

    /**
     * Overwrites several variables in one session run (graph layout): a run per variable would
     * make TensorFlow prune and optimise the graph once per distinct set of feeds.
     */
    public void assignAll(Session session, List<String> keys, List<float[]> values) {
        List<TFloat32> tensors = new ArrayList<>(keys.size());
        try {
            Session.Runner runner = session.runner();
            for (int i = 0; i < keys.size(); i++) {
                Slot slot = requireSlot(keys.get(i));
                TFloat32 tensor = TFloat32.tensorOf(Shape.of(slot.graphShape()), DataBuffers.of(values.get(i), true, false));
                tensors.add(tensor);
                runner.feed(slot.input(), tensor).addTarget(slot.assign());
            }
            runner.run();
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    /** Values of {@code key} in the graph's layout, back in the layout the checkpoint stores them in. */
    public float[] toStored(String key, float[] graphValues) {
        Slot slot = requireSlot(key);
        return switch (slot.layout()) {
            case AS_STORED -> graphValues.clone();
            case TRANSPOSED -> transpose(graphValues, slot.graphShape());
            case OIHW_TO_HWIO -> throw new UnsupportedOperationException("no way back for convolution filter " + key);
        };
    }

    /** The shape the checkpoint stores {@code key} in. */
    public long[] storedShape(String key) {
        return requireSlot(key).storedShape().clone();
    }

    private Slot requireSlot(String key) {
        Slot slot = byKey.get(key);
        if (slot == null) {
            throw new IllegalArgumentException("no weight " + key + " in this graph");
        }
        return slot;
    }

    /** Values of {@code key} in the layout the checkpoint stores them in, in the graph's layout. */
    public float[] toGraph(String key, float[] storedValues) {
        return graphLayout(requireSlot(key), storedValues);
    }

    private static float[] graphLayout(Slot slot, float[] values) {
        return switch (slot.layout()) {
            case AS_STORED -> values;
            case OIHW_TO_HWIO -> oihwToHwio(values, slot.storedShape());
            case TRANSPOSED -> transpose(values, slot.storedShape());
        };
    }

    /** Assigns every variable from {@code source}; reports each key to {@code progress}. */
    public void fill(Session session, WeightSource source, Consumer<String> progress) throws IOException {
        for (Slot slot : slots) {
            assign(session, slot.key(), graphLayout(slot, source.read(slot.key(), slot.storedShape())));
            progress.accept(slot.key());
        }
    }

    static float[] transpose(float[] rowMajor, long[] shape) {
        int rows = (int) shape[0], columns = (int) shape[1];
        float[] transposed = new float[rowMajor.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c * rows + r] = rowMajor[r * columns + c];
            }
        }
        return transposed;
    }

    static float[] oihwToHwio(float[] oihw, long[] shape) {
        int out = (int) shape[0], in = (int) shape[1], kh = (int) shape[2], kw = (int) shape[3];
        float[] hwio = new float[oihw.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int h = 0; h < kh; h++) {
                    for (int w = 0; w < kw; w++) {
                        hwio[((h * kw + w) * in + i) * out + o] = oihw[((o * in + i) * kh + h) * kw + w];
                    }
                }
            }
        }
        return hwio;
    }

    @Override
    public void close() {
        graph.close();
    }
}
