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
}
