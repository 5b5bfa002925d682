package org.mafstream.model.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An epoch's batches: the sentences shuffled, cut into pools of {@value #POOL_BATCHES} batches,
 * each pool sorted by length and cut into batches (so a batch pads little: the graph runs at its
 * longest sentence), then the batches shuffled. The same seed and epoch give the same batches,
 * so a resumed run can skip the ones already taken.
 */
public final class LengthBatches {
    static final int POOL_BATCHES = 50;

    private LengthBatches() {}

    /** @return the sentence indices of each batch of epoch {@code epoch} (1-based) */
    public static List<int[]> of(TokenSentences data, int batchSize, long seed, int epoch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        Integer[] order = new Integer[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        List<int[]> batches = new ArrayList<>();
        int pool = batchSize * POOL_BATCHES;
        for (int from = 0; from < order.length; from += pool) {
            Integer[] slice = Arrays.copyOfRange(order, from, Math.min(order.length, from + pool));
            Arrays.sort(slice, Comparator.comparingInt(data::length)); // stable: ties keep the shuffled order
            for (int b = 0; b < slice.length; b += batchSize) {
                batches.add(Arrays.stream(slice, b, Math.min(slice.length, b + batchSize)).mapToInt(Integer::intValue).toArray());
            }
        }
        int[][] shuffled = batches.toArray(int[][]::new);
        shuffle(shuffled, random);
        return List.of(shuffled);
    }

    /** How many batches every epoch has. */
    public static int perEpoch(int sentences, int batchSize) {
        int pool = batchSize * POOL_BATCHES;
        int full = sentences / pool;
        int rest = sentences % pool;
        return full * POOL_BATCHES + (rest + batchSize - 1) / batchSize;
    }

    private static <T> void shuffle(T[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
