package org.mafstream.model.pretrained;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Reads float32 variables, one at a time, from a TensorFlow (V2) checkpoint with the RestoreV2
 * op, without loading the graph that wrote it.
 */
public final class TfCheckpointReader implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TString> name;
    private final Restore restore;
    private final Path prefix;

    public TfCheckpointReader(Path prefix) {
        this.prefix = prefix;
        Ops tf = Ops.create(graph);
        name = tf.placeholder(TString.class, Placeholder.shape(Shape.of(1)));
        restore = tf.train.restore(tf.constant(prefix.toString()), name, tf.constant(java.nio.charset.StandardCharsets.UTF_8, new String[] {""}),
                List.of(TFloat32.class));
        session = new Session(graph);
    }

    /** The variable {@code variable} as row-major floats, after checking its shape. */
    public float[] read(String variable, long[] expectedShape) throws IOException {
        try (TString key = TString.vectorOf(variable);
             Result result = session.runner().feed(name, key).fetch(restore.tensors().get(0)).run()) {
            TFloat32 tensor = (TFloat32) result.get(0);
            long[] shape = tensor.shape().asArray();
            if (!java.util.Arrays.equals(shape, expectedShape)) {
                throw new IOException(prefix + ": variable " + variable + " has shape " + java.util.Arrays.toString(shape)
                        + ", expected " + java.util.Arrays.toString(expectedShape));
            }
            float[] values = new float[Math.toIntExact(tensor.size())];
            tensor.asRawTensor().data().asFloats().read(values);
            return values;
        } catch (TensorFlowException e) {
            throw new IOException(prefix + ": cannot read variable " + variable + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
