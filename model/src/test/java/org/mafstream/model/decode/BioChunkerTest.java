package org.mafstream.model.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.model.decode.BioChunker.Chunk;

class BioChunkerTest {

    @Test
    void theOriginalsDocstringExample() {
        assertThat(BioChunker.chunks(List.of("B-PER", "I-PER", "O", "B-LOC")))
                .containsExactly(new Chunk("PER", 0, 2), new Chunk("LOC", 3, 4));
    }

    @Test
    void anIAfterOStartsAChunk() {
        assertThat(BioChunker.chunks(List.of("O", "I-ORG", "I-ORG", "O")))
                .containsExactly(new Chunk("ORG", 1, 3));
    }

    @Test
    void aTypeChangeOrABClosesTheOpenChunk() {
        assertThat(BioChunker.chunks(List.of("B-PER", "I-LOC", "B-LOC", "B-LOC", "I-LOC")))
                .containsExactly(new Chunk("PER", 0, 1), new Chunk("LOC", 1, 2), new Chunk("LOC", 2, 3), new Chunk("LOC", 3, 5));
    }

    @Test
    void nonEntityTagsCountAsO() {
        assertThat(BioChunker.chunks(List.of("B-MISC", "X", "I-MISC", "[SEP]", "PAD", "[CLS]")))
                .containsExactly(new Chunk("MISC", 0, 1), new Chunk("MISC", 2, 3));
    }

    @Test
    void aChunkOpenAtTheEndIsClosed() {
        assertThat(BioChunker.chunks(List.of("O", "B-PER", "I-PER"))).containsExactly(new Chunk("PER", 1, 3));
        assertThat(BioChunker.chunks(List.of())).isEmpty();
    }

    @Test
    void originalModeMakesNonEntityTagsChunksOfTheirOwn() {
        assertThat(BioChunker.chunks(List.of("B-MISC", "X", "X", "I-MISC", "[SEP]", "PAD", "O", "[CLS]", "[CLS]"),
                BioChunker.NonEntityTags.AS_CHUNKS))
                .containsExactly(new Chunk("MISC", 0, 1), new Chunk("X", 1, 3), new Chunk("MISC", 3, 4),
                        new Chunk("[SEP]", 4, 5), new Chunk("PAD", 5, 6), new Chunk("[CLS]", 7, 9));
    }

    @Test
    void originalModeReadsEntityTagsLikeTheDefault() {
        List<String> labels = List.of("I-ORG", "I-ORG", "B-ORG", "I-PER", "O", "B-LOC", "I-LOC", "B-LOC");
        assertThat(BioChunker.chunks(labels, BioChunker.NonEntityTags.AS_CHUNKS))
                .containsExactly(new Chunk("ORG", 0, 2), new Chunk("ORG", 2, 3), new Chunk("PER", 3, 4),
                        new Chunk("LOC", 5, 7), new Chunk("LOC", 7, 8))
                .isEqualTo(BioChunker.chunks(labels));
    }
}
