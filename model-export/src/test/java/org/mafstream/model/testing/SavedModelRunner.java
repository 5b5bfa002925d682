package org.mafstream.model.testing;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs one signature of a bundle's SavedModel through DJL's TensorFlow engine, as the job will. */
public final class SavedModelRunner implements AutoCloseable {
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    public SavedModelRunner(Path savedModelDir, String signature) throws Exception {
        model = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(savedModelDir)
                .optEngine("TensorFlow")
                .optOption("SignatureDefKey", signature)
                .build()
                .loadModel();
        predictor = model.newPredictor();
    }

    /** Named inputs (float[] or int[] with their shapes) to named float outputs. */
    public Map<String, float[]> run(Map<String, Input> inputs) throws Exception {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList list = new NDList();
            inputs.forEach((name, input) -> {
                NDArray array = input.floats() != null
                        ? manager.create(input.floats(), new Shape(input.shape()))
                        : manager.create(input.ints(), new Shape(input.shape()));
                array.setName(name);
                list.add(array);
            });
            NDList out = predictor.predict(list);
            Map<String, float[]> result = new HashMap<>();
            for (NDArray array : out) {
                result.put(array.getName(), array.toFloatArray());
            }
            return result;
        }
    }

    /** An input tensor: float or int32 values, row-major. */
    public record Input(float[] floats, int[] ints, long[] shape) {
        public static Input of(float[] values, long... shape) {
            return new Input(values, null, shape);
        }

        public static Input of(int[] values, long... shape) {
            return new Input(null, values, shape);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
