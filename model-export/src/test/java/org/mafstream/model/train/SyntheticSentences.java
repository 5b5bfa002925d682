package org.mafstream.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random tagged sentences shaped like MAF's ([CLS], words of one or two subwords with X on the
 * second, [SEP]) whose features make each position's tag linearly decodable: the one-hot of the
 * tag plus Gaussian noise.
 */
final class SyntheticSentences {
    static final int HIDDEN = 16;
    private static final String[] TYPES = {"MISC", "PER", "ORG", "LOC"};

    private SyntheticSentences() {}

    static TaggedSentences generate(String name, int count, long seed, double noise) {
        Random random = new Random(seed);
        List<int[]> gold = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            gold.add(sentence(random));
        }
        int[] lengths = gold.stream().mapToInt(tags -> tags.length).toArray();
        float[] values = new float[gold.stream().mapToInt(tags -> tags.length).sum() * HIDDEN];
        int row = 0;
        for (int[] tags : gold) {
            for (int tag : tags) {
                for (int h = 0; h < HIDDEN; h++) {
                    values[row * HIDDEN + h] = (float) ((h == tag ? 1 : 0) + noise * random.nextGaussian());
                }
                row++;
            }
        }
        return new TaggedSentences(name, gold, SentenceFeatures.of(HIDDEN, lengths, values, "synthetic-" + seed));
    }

    private static int[] sentence(Random random) {
        List<Integer> tags = new ArrayList<>(List.of(11));
        int words = 2 + random.nextInt(10);
        int openType = -1;
        for (int w = 0; w < words; w++) {
            int tag;
            if (openType >= 0 && random.nextDouble() < 0.4) {
                tag = 3 + 2 * openType; // I- of the open type
            } else if (random.nextDouble() < 0.3) {
                openType = random.nextInt(TYPES.length);
                tag = 2 + 2 * openType; // B-
            } else {
                openType = -1;
                tag = 1; // O
            }
            tags.add(tag);
            if (random.nextDouble() < 0.3) {
                tags.add(10); // X
            }
        }
        tags.add(12);
        return tags.stream().mapToInt(Integer::intValue).toArray();
    }
}
