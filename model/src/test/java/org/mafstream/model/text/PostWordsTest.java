package org.mafstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostWordsTest {

    @Test
    void splitsOnSpacesAndKeepsPunctuationMentionsHashtagsAndUrlsInTheirWord() {
        String text = "RT @BBCNews: #Brexit vote, see http://t.co/kd1OVQmsyy !";
        assertThat(PostWords.split(text)).containsExactly(
                new Word("RT", 0, 2), new Word("@BBCNews:", 3, 12), new Word("#Brexit", 13, 20),
                new Word("vote,", 21, 26), new Word("see", 27, 30),
                new Word("http://t.co/kd1OVQmsyy", 31, 53), new Word("!", 54, 55));
    }

    @Test
    void leadingTrailingAndRepeatedWhitespaceYieldNoEmptyWords() {
        assertThat(PostWords.split("  a \t\n b\r\n\n  c  ")).containsExactly(
                new Word("a", 2, 3), new Word("b", 7, 8), new Word("c", 13, 14));
        assertThat(PostWords.split("")).isEmpty();
        assertThat(PostWords.split(" \t\n\u3000\u00A0")).isEmpty();
    }

    @Test
    void emojiAreSurrogatePairsAndOffsetsCountUtf16Units() {
        // 😀 is U+1F600 (2 units); 👍🏽 is two code points, 4 units; 🇺🇸 two regional indicators, 4 units.
        String text = "I 😀 love👍🏽 🇺🇸USA";
        List<Word> words = PostWords.split(text);
        assertThat(words).containsExactly(
                new Word("I", 0, 1), new Word("😀", 2, 4), new Word("love👍🏽", 5, 13),
                new Word("🇺🇸USA", 14, 21));
        words.forEach(w -> assertThat(text.substring(w.start(), w.end())).isEqualTo(w.text()));
    }

    @Test
    void cjkIsNotSplitIntoWordsHereOnlyByTheTokenizer() {
        // An ideographic space U+3000 separates words; ideographs without spaces stay one word.
        assertThat(PostWords.split("東京\u3000北京市 Tokyo")).containsExactly(
                new Word("東京", 0, 2), new Word("北京市", 3, 6), new Word("Tokyo", 7, 12));
    }

    @Test
    void pythonWhitespaceSeparatesWordsIncludingNoBreakSpacesAndNextLine() {
        // U+00A0, U+202F, U+2007 (not Java whitespace), U+0085 (neither), U+2028, U+001F: all Python str.split() whitespace.
        assertThat(PostWords.split("New\u00A0York a\u202Fb\u2007c\u0085d\u2028e\u001Ff")).extracting(Word::text)
                .containsExactly("New", "York", "a", "b", "c", "d", "e", "f");
    }

    @Test
    void zeroWidthCharactersAndSoftHyphensStayInsideWords() {
        String text = "zero\u200Bwidth \u200B a\u200Db soft\u00ADhyphen \uFEFFx\u2060y \u180E";
        assertThat(PostWords.split(text)).containsExactly(
                new Word("zero\u200Bwidth", 0, 10), new Word("\u200B", 11, 12), new Word("a\u200Db", 13, 16),
                new Word("soft\u00ADhyphen", 17, 28), new Word("\uFEFFx\u2060y", 29, 33), new Word("\u180E", 34, 35));
    }

    @Test
    void wordsNeverContainASpaceSoTheEncodersResplitIsTheIdentity() {
        List<String> texts = PostWords.texts(PostWords.split("a\u00A0b  c\td"));
        assertThat(texts).containsExactly("a", "b", "c", "d");
        assertThat(MafTextEncoder.resplit(texts)).isEqualTo(texts);
    }
}
