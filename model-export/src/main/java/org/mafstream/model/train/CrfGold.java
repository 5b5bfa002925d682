package org.mafstream.model.train;

import java.util.List;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.CrfNegativeLogLikelihood;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A batch's gold paths as {@link CrfNegativeLogLikelihood.Gold} takes them: a one-hot row per real
 * position, which positions are real, and the first-tag, last-tag and transition counts summed
 * over the batch. Holds the tensors until closed.
 */
public final class CrfGold implements AutoCloseable {
    private final List<TFloat32> tensors;

    private CrfGold(List<TFloat32> tensors) {
        this.tensors = tensors;
    }

    /**
     * @param tokenIds sentence i's real token ids (only their count is read)
     * @param gold sentence i's gold tag per real position
     * @param length the padded length the emissions have
     */
    public static CrfGold of(int[][] tokenIds, int[][] gold, int length, int labels) {
        int b = tokenIds.length;
        int max = MafShape.MAX_SEQ_LENGTH;
        float[] tags = new float[b * length * labels];
        float[] positions = new float[b * max];
        float[] first = new float[labels];
        float[] last = new float[labels];
        float[] transitions = new float[labels * labels];
        for (int i = 0; i < b; i++) {
            int[] path = gold[i];
            if (path.length != tokenIds[i].length || path.length == 0 || path.length > Math.min(max, length)) {
                throw new IllegalArgumentException("sentence " + i + " of the batch has " + tokenIds[i].length
                        + " tokens and " + path.length + " tags (1.." + Math.min(max, length) + " of each needed)");
            }
            for (int t = 0; t < path.length; t++) {
                tags[(i * length + t) * labels + path[t]] = 1;
                positions[i * max + t] = 1;
                if (t > 0) {
                    transitions[path[t - 1] * labels + path[t]]++;
                }
            }
            first[path[0]]++;
            last[path[path.length - 1]]++;
        }
        return new CrfGold(List.of(
                TFloat32.tensorOf(Shape.of(b, length, labels), DataBuffers.of(tags, true, false)),
                TFloat32.tensorOf(Shape.of(b, max), DataBuffers.of(positions, true, false)),
                TFloat32.tensorOf(Shape.of(labels), DataBuffers.of(first, true, false)),
                TFloat32.tensorOf(Shape.of(labels), DataBuffers.of(last, true, false)),
                TFloat32.tensorOf(Shape.of(labels, labels), DataBuffers.of(transitions, true, false))));
    }

    public Session.Runner feed(Session.Runner runner, CrfNegativeLogLikelihood.Gold gold) {
        return runner.feed(gold.tags(), tensors.get(0)).feed(gold.positions(), tensors.get(1))
                .feed(gold.firstTags(), tensors.get(2)).feed(gold.lastTags(), tensors.get(3))
                .feed(gold.transitionCounts(), tensors.get(4));
    }

    @Override
    public void close() {
        tensors.forEach(TFloat32::close);
    }
}
