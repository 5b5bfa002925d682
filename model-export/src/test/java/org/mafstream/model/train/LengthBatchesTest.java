package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {
    private static final TokenSentences DATA = sentences(1234);

    @Test
    void everySentenceIsInExactlyOneBatchOfAnEpoch() {
        List<int[]> batches = LengthBatches.of(DATA, 16, 42, 1);
        int[] seen = new int[DATA.size()];
        batches.forEach(batch -> Arrays.stream(batch).forEach(i -> seen[i]++));
        assertThat(seen).containsOnly(1);
        assertThat(batches).hasSize(LengthBatches.perEpoch(DATA.size(), 16));
        assertThat(batches).allSatisfy(batch -> assertThat(batch.length).isBetween(1, 16));
    }

    @Test
    void theSameSeedAndEpochGiveTheSameBatchesAndAnotherEpochOthers() {
        assertThat(LengthBatches.of(DATA, 16, 42, 3)).containsExactlyElementsOf(LengthBatches.of(DATA, 16, 42, 3));
        assertThat(LengthBatches.of(DATA, 16, 42, 4).get(0)).isNotEqualTo(LengthBatches.of(DATA, 16, 42, 3).get(0));
    }

    @Test
    void batchesHoldSentencesOfSimilarLength() {
        // Within a pool of 50 batches the sentences are sorted by length, so a batch pads little.
        double padding = 0;
        double positions = 0;
        for (int[] batch : LengthBatches.of(DATA, 16, 42, 1)) {
            int longest = Arrays.stream(batch).map(DATA::length).max().orElseThrow();
            for (int i : batch) {
                padding += longest - DATA.length(i);
                positions += DATA.length(i);
            }
        }
        assertThat(padding / positions).isLessThan(0.1);
    }

    private static TokenSentences sentences(int count) {
        Random random = new Random(1);
        List<int[]> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(new int[3 + random.nextInt(60)]);
        }
        return new TokenSentences("lengths", ids, ids, null);
    }
}
