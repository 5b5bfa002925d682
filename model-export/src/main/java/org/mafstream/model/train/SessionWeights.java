package org.mafstream.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mafstream.model.graph.WeightedGraph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * A training graph's weights as its session holds them: read and overwritten in one session run
 * each, in the graph's layout or in the layout checkpoints store them in.
 */
public final class SessionWeights {
    private final WeightedGraph g;
    private final Session session;
    private final List<String> trainable;

    public SessionWeights(WeightedGraph g, Session session, List<String> trainable) {
        this.g = g;
        this.session = session;
        this.trainable = List.copyOf(trainable);
    }

    /** The trainable weights' keys, in the order the graph's gradients come in. */
    public List<String> trainable() {
        return trainable;
    }

    /** Several weights' current values (graph layout), in one session run. */
    public List<float[]> values(List<String> keys) {
        Session.Runner runner = session.runner();
        keys.forEach(key -> runner.fetch(g.variable(key)));
        try (Result result = runner.run()) {
            List<float[]> values = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                values.add(floats((TFloat32) result.get(i)));
            }
            return values;
        }
    }

    /** The trainable weights' current values in the layout checkpoints store them in, in one session run. */
    public List<float[]> storedTrainableValues() {
        List<float[]> values = values(trainable);
        List<float[]> stored = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            stored.add(g.toStored(trainable.get(i), values.get(i)));
        }
        return stored;
    }

    /** Values of {@code key} (e.g. its gradient) in the graph's layout, in the layout the checkpoint stores it in. */
    public float[] toStored(String key, float[] graphValues) {
        return g.toStored(key, graphValues);
    }

    /** The shape the checkpoint stores {@code key} in. */
    public long[] storedShape(String key) {
        return g.storedShape(key);
    }

    /** Overwrites weights with values in the layout checkpoints store them in, in one session run. */
    public void assignAllStored(Map<String, float[]> storedValues) {
        List<String> keys = List.copyOf(storedValues.keySet());
        g.assignAll(session, keys, keys.stream().map(key -> g.toGraph(key, storedValues.get(key))).toList());
    }

    /** Overwrites several weights (graph layout) in one session run. */
    public void assignAll(List<String> keys, List<float[]> values) {
        g.assignAll(session, keys, values);
    }

    public static float[] floats(TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.asRawTensor().data().asFloats().read(values);
        return values;
    }
}
