package org.mafstream.model.pretrained;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.graph.BertGraph;
import org.mafstream.model.graph.Gelu;
import org.mafstream.model.graph.WeightSource;
import org.mafstream.model.graph.WeightedGraph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * BERT (our graph, MAF's weight names) loaded once and run at a few fixed sequence lengths that
 * share one set of variables: a batch runs at the shortest length that holds its longest
 * sentence, which on tweets is several times cheaper than MAF's 128 positions and gives the same
 * values at the real positions (padding is masked with -10000, whose softmax weight is exactly 0).
 */
public final class FrozenBert implements AutoCloseable {
    private final WeightedGraph g = new WeightedGraph();
    private final Session session;
    private final BertShape shape;
    private final TreeMap<Integer, Inputs> byLength = new TreeMap<>();

    private record Inputs(Placeholder<TInt32> ids, Placeholder<TInt32> mask, Placeholder<TInt32> segments,
                          Operand<TFloat32> output) {}

    public FrozenBert(BertShape shape, Gelu gelu, WeightSource weights, int... lengths) throws IOException {
        this.shape = shape;
        BertGraph bert = new BertGraph(g, shape, gelu);
        for (int length : lengths) {
            Shape tokens = Shape.of(-1, length);
            Placeholder<TInt32> ids = g.tf().placeholder(TInt32.class, Placeholder.shape(tokens));
            Placeholder<TInt32> mask = g.tf().placeholder(TInt32.class, Placeholder.shape(tokens));
            Placeholder<TInt32> segments = g.tf().placeholder(TInt32.class, Placeholder.shape(tokens));
            byLength.put(length, new Inputs(ids, mask, segments, bert.build(ids, mask, segments, length).sequenceOutput()));
        }
        session = new Session(g.graph());
        g.fill(session, weights, key -> { });
    }

    public int hiddenSize() {
        return shape.hiddenSize();
    }

    /** The shortest built length holding {@code n} positions. */
    public int lengthFor(int n) {
        Map.Entry<Integer, Inputs> entry = byLength.ceilingEntry(n);
        if (entry == null) {
            throw new IllegalArgumentException(n + " positions exceed the longest built length " + byLength.lastKey());
        }
        return entry.getKey();
    }

    /**
     * Sequence output for a batch: {@code tokenIds[i]} are sentence i's n_i real token ids
     * ([CLS] ... [SEP]); returns [i] → n_i × hidden floats, row-major.
     */
    public float[][] encode(int[][] tokenIds) {
        int longest = 0;
        for (int[] ids : tokenIds) {
            longest = Math.max(longest, ids.length);
        }
        int length = lengthFor(longest);
        Inputs in = byLength.get(length);
        int b = tokenIds.length;
        int[] ids = new int[b * length];
        int[] mask = new int[b * length];
        for (int i = 0; i < b; i++) {
            System.arraycopy(tokenIds[i], 0, ids, i * length, tokenIds[i].length);
            java.util.Arrays.fill(mask, i * length, i * length + tokenIds[i].length, 1);
        }
        Shape tokens = Shape.of(b, length);
        int h = shape.hiddenSize();
        try (TInt32 idTensor = TInt32.tensorOf(tokens, DataBuffers.of(ids, true, false));
             TInt32 maskTensor = TInt32.tensorOf(tokens, DataBuffers.of(mask, true, false));
             TInt32 segmentTensor = TInt32.tensorOf(tokens, DataBuffers.of(new int[b * length], true, false)); // one segment: all 0
             Result result = session.runner().feed(in.ids(), idTensor).feed(in.mask(), maskTensor)
                     .feed(in.segments(), segmentTensor).fetch(in.output()).run()) {
            float[] all = new float[b * length * h];
            ((TFloat32) result.get(0)).asRawTensor().data().asFloats().read(all);
            float[][] out = new float[b][];
            for (int i = 0; i < b; i++) {
                out[i] = java.util.Arrays.copyOfRange(all, i * length * h, (i * length + tokenIds[i].length) * h);
            }
            return out;
        }
    }

    @Override
    public void close() {
        session.close();
        g.close();
    }
}
