package org.mafstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MafTextEncoderTest {
    private static MafTextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = new MafTextEncoder(BertBaseCased.vocabulary(), false, 128);
    }

    @Test
    void encodesAndPadsASimpleSentence() {
        EncodedText e = encoder.encode(List.of("Hello", "Messi", "!"));
        assertThat(e.tokens()).containsExactly("[CLS]", "Hello", "Me", "##ssi", "!", "[SEP]");
        assertThat(e.length()).isEqualTo(6);
        assertThat(e.inputIds()).hasSize(128).startsWith(101, 8667, 2508, 19828, 106, 102, 0);
        assertThat(IntStream.of(e.inputIds()).skip(6).allMatch(id -> id == 0)).isTrue();
        assertThat(e.inputMask()).hasSize(128).startsWith(1, 1, 1, 1, 1, 1, 0);
        assertThat(IntStream.of(e.inputMask()).sum()).isEqualTo(6);
        assertThat(e.segmentIds()).hasSize(128).containsOnly(0);
        assertThat(e.wordIndex()).hasSize(128).startsWith(-1, 0, 1, 1, 2, -1, -1);
        assertThat(IntStream.of(e.wordIndex()).skip(5).allMatch(w -> w == -1)).isTrue();
        assertThat(e.subwordsBeforeTruncation()).isEqualTo(4);
        assertThat(e.truncated()).isFalse();
        assertThat(e.firstSubwordPositions()).containsExactly(1, 2, 4);
        assertThat(e.isFirstSubword(2)).isTrue();
        assertThat(e.isFirstSubword(3)).isFalse();
        assertThat(e.isFirstSubword(0)).isFalse();
    }

    @Test
    void aWordWithNoSubwordHasNoPosition() {
        EncodedText e = encoder.encode(List.of("soft\u00ADhyphen", "\u00AD", "world"));
        assertThat(e.tokens()).containsExactly("[CLS]", "soft", "##hy", "##phe", "##n", "world", "[SEP]");
        assertThat(e.firstSubwordPosition(0)).isEqualTo(1);
        assertThat(e.firstSubwordPosition(1)).isEqualTo(-1);
        assertThat(e.firstSubwordPosition(2)).isEqualTo(5);
        assertThat(e.wordIndex()).startsWith(-1, 0, 0, 0, 0, 2, -1);
    }

    @Test
    void exactly127SubwordsAreTruncatedTo126() {
        EncodedText e = encoder.encode(Collections.nCopies(127, "a"));
        assertThat(e.truncated()).isTrue();
        assertThat(e.subwordsBeforeTruncation()).isEqualTo(127);
        assertThat(e.length()).isEqualTo(128);
        assertThat(e.tokens().get(127)).isEqualTo("[SEP]");
        assertThat(e.inputIds()[126]).isEqualTo(170);
        assertThat(e.inputIds()[127]).isEqualTo(102);
        assertThat(e.inputMask()).containsOnly(1);
        assertThat(e.firstSubwordPosition(125)).isEqualTo(126);
        assertThat(e.firstSubwordPosition(126)).isEqualTo(-1);
        assertThat(e.wordIndex()[127]).isEqualTo(-1);
    }

    @Test
    void a126SubwordSentenceIsNotTruncated() {
        EncodedText e = encoder.encode(Collections.nCopies(126, "a"));
        assertThat(e.truncated()).isFalse();
        assertThat(e.length()).isEqualTo(128);
        assertThat(e.firstSubwordPosition(125)).isEqualTo(126);
    }

    @Test
    void aWordCutAfterItsFirstSubwordKeepsItsPosition() {
        List<String> words = new ArrayList<>(Collections.nCopies(125, "a"));
        words.add("Messi"); // Me ##ssi: Me at 126, ##ssi cut
        words.add("world");
        EncodedText e = encoder.encode(words);
        assertThat(e.subwordsBeforeTruncation()).isEqualTo(128);
        assertThat(e.tokens().subList(125, 128)).containsExactly("a", "Me", "[SEP]");
        assertThat(e.firstSubwordPosition(125)).isEqualTo(126);
        assertThat(e.firstSubwordPosition(126)).isEqualTo(-1);
    }

    @Test
    void wordsContainingSpacesAreResplitLikeTheOriginal() {
        EncodedText e = encoder.encode(List.of("New York", "City"));
        assertThat(e.words()).containsExactly("New", "York", "City");
        assertThat(e.wordIndex()).startsWith(-1, 0, 1, 2, -1);
        assertThat(MafTextEncoder.resplit(List.of("a", "", "b "))).containsExactly("a", "", "b", "");
    }

    @Test
    void noWordsGiveClsSep() {
        EncodedText e = encoder.encode(List.of());
        assertThat(e.tokens()).containsExactly("[CLS]", "[SEP]");
        assertThat(e.words()).containsExactly(""); // Python: ''.split(' ') == ['']
        assertThat(e.inputIds()).startsWith(101, 102, 0);
    }

    @Test
    void shorterMaximumLength() {
        MafTextEncoder short8 = new MafTextEncoder(BertBaseCased.vocabulary(), false, 8);
        EncodedText e = short8.encode(List.of("don't", "U.S.A"));
        assertThat(e.tokens()).containsExactly("[CLS]", "don", "'", "t", "U", ".", "S", "[SEP]");
        assertThat(e.inputIds()).containsExactly(101, 1274, 112, 189, 158, 119, 156, 102);
        assertThat(e.truncated()).isTrue();
        assertThat(e.subwordsBeforeTruncation()).isEqualTo(8);
    }
}
