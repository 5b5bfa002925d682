package org.mafstream.model.pretrained;

import java.io.IOException;
import java.util.Arrays;
import java.util.TreeSet;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.graph.BertGraph;
import org.mafstream.model.graph.Gelu;
import org.mafstream.model.weights.WeightSource;
import org.mafstream.model.graph.WeightedGraph;
import org.tensorflow.Operand;
import org.mafstream.model.text.TokenBatch;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * BERT (our graph, MAF's weight names) loaded once with a free sequence axis: a batch runs at the
 * shortest of a few bucket lengths that holds its longest sentence, which on tweets is several
 * times cheaper than MAF's 128 positions and gives the same values at the real positions
 * (padding is masked with -10000, whose softmax weight is exactly 0).
 */
public final class FrozenBert implements AutoCloseable {
    private final WeightedGraph g = new WeightedGraph();
    private final Session session;
    private final BertShape shape;
    private final TreeSet<Integer> lengths = new TreeSet<>();
    private final Placeholder<TInt32> ids;
    private final Placeholder<TInt32> mask;
    private final Placeholder<TInt32> segments;
    private final Operand<TFloat32> output;

    /** @param lengths the bucket lengths a batch is padded to */
    public FrozenBert(BertShape shape, Gelu gelu, WeightSource weights, int... lengths) throws IOException {
        this.shape = shape;
        Arrays.stream(lengths).forEach(this.lengths::add);
        Shape tokens = Shape.of(-1, -1);
        ids = g.tf().placeholder(TInt32.class, Placeholder.shape(tokens));
        mask = g.tf().placeholder(TInt32.class, Placeholder.shape(tokens));
        segments = g.tf().placeholder(TInt32.class, Placeholder.shape(tokens));
        Operand<TInt32> length = g.tf().gather(g.tf().shape(ids), g.tf().constant(1), g.tf().constant(0));
        output = new BertGraph(g, shape, gelu).build(ids, mask, segments, length).sequenceOutput();
        session = new Session(g.graph());
        g.fill(session, weights, key -> { });
    }

    public int hiddenSize() {
        return shape.hiddenSize();
    }

    /** The shortest bucket length holding {@code n} positions. */
    public int lengthFor(int n) {
        Integer length = lengths.ceiling(n);
        if (length == null) {
            throw new IllegalArgumentException(n + " positions exceed the longest bucket length " + lengths.last());
        }
        return length;
    }

    /**
     * Sequence output for a batch: {@code tokenIds[i]} are sentence i's n_i real token ids
     * ([CLS] ... [SEP]); returns [i] → n_i × hidden floats, row-major.
     */
    public float[][] encode(int[][] tokenIds) {
        int longest = 0;
        for (int[] sentence : tokenIds) {
            longest = Math.max(longest, sentence.length);
        }
        return encodeAt(tokenIds, lengthFor(longest));
    }

    /** As {@link #encode}, padded to exactly {@code length} positions. */
    public float[][] encodeAt(int[][] tokenIds, int length) {
        TokenBatch batch = TokenBatch.pad(tokenIds, length);
        Shape tokens = Shape.of(batch.size(), length);
        try (TInt32 idTensor = TInt32.tensorOf(tokens, DataBuffers.of(batch.ids(), true, false));
             TInt32 maskTensor = TInt32.tensorOf(tokens, DataBuffers.of(batch.mask(), true, false));
             TInt32 segmentTensor = TInt32.tensorOf(tokens, DataBuffers.of(new int[batch.size() * length], true, false)); // one segment: all 0
             Result result = session.runner().feed(ids, idTensor).feed(mask, maskTensor)
                     .feed(segments, segmentTensor).fetch(output).run()) {
            float[] all = new float[batch.size() * length * shape.hiddenSize()];
            ((TFloat32) result.get(0)).asRawTensor().data().asFloats().read(all);
            return batch.realPositions(all, shape.hiddenSize());
        }
    }

    @Override
    public void close() {
        session.close();
        g.close();
    }
}
