package org.mafstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Expected pieces were written out from the original Python tokenizer with bert-base-cased. */
class BertWordTokenizerTest {
    private static Vocabulary vocab;
    private static BertWordTokenizer cased;

    @BeforeAll
    static void load() {
        vocab = BertBaseCased.vocabulary();
        cased = new BertWordTokenizer(vocab, false);
    }

    @Test
    void vocabularyIdsAreLineNumbers() {
        assertThat(vocab.id("[PAD]")).isZero();
        assertThat(vocab.unkId()).isEqualTo(100);
        assertThat(vocab.id("[CLS]")).isEqualTo(101);
        assertThat(vocab.id("[SEP]")).isEqualTo(102);
        assertThat(vocab.id("Hello")).isEqualTo(8667);
        assertThat(vocab.token(1362)).isEqualTo("world");
        assertThat(vocab.contains("hello")).isTrue();
        assertThat(vocab.contains("😀")).isFalse();
    }

    @Test
    void splitsPunctuationAndWordPieces() {
        assertThat(cased.tokenize("don't")).containsExactly("don", "'", "t");
        assertThat(cased.tokenize("U.S.A")).containsExactly("U", ".", "S", ".", "A");
        assertThat(cased.tokenize("@realDonaldTrump"))
                .containsExactly("@", "real", "##D", "##onal", "##d", "##T", "##rump");
        assertThat(cased.tokenize("#NewYorkMets")).containsExactly("#", "New", "##Y", "##or", "##k", "##M", "##ets");
        assertThat(cased.tokenize("unaffable")).containsExactly("un", "##af", "##fa", "##ble");
        assertThat(cased.tokenize("a[MASK]")).containsExactly("a", "[", "MA", "##S", "##K", "]");
        assertThat(cased.tokenize("[MASK]")).containsExactly("[MASK]");
    }

    @Test
    void keepsCaseAndAccentsWhenCased() {
        assertThat(cased.tokenize("Café")).containsExactly("Café");
        assertThat(cased.tokenize("Zürich")).containsExactly("Zürich");
        assertThat(cased.tokenize("Messi")).containsExactly("Me", "##ssi");
    }

    @Test
    void cleansControlsAndSplitsOnWhitespaceInsideAWord() {
        assertThat(cased.tokenize("\u00AD")).isEmpty();
        assertThat(cased.tokenize("soft\u00ADhyphen")).containsExactly("soft", "##hy", "##phe", "##n");
        assertThat(cased.tokenize("New\u00A0York")).containsExactly("New", "York");
        // U+2028 survives cleaning (category Zl) and then splits, as Python's str.split() does.
        assertThat(cased.tokenize("line\u2028sep")).containsExactly("line", "se", "##p");
        // VT and NEL are Python whitespace but category Cc: deleted before splitting, so they join.
        assertThat(cased.tokenize("a\u000Bb")).containsExactly("a", "##b");
        assertThat(cased.tokenize("a\u0085b")).containsExactly("a", "##b");
        assertThat(cased.tokenize("a\u0000\uFFFDb")).containsExactly("a", "##b");
    }

    @Test
    void cjkIdeographsAreTokensOfTheirOwn() {
        assertThat(cased.tokenize("東京")).containsExactly("東", "京");
    }

    @Test
    void emojiAndLongTokensBecomeUnknown() {
        assertThat(cased.tokenize("😀")).containsExactly("[UNK]");
        assertThat(cased.tokenize("a😀")).containsExactly("[UNK]");
        assertThat(cased.tokenize("\uD83E\uDEE0")).as("U+1FAE0, Unicode 14.0").containsExactly("[UNK]");
        assertThat(cased.tokenize("x".repeat(100))).hasSize(100).startsWith("x", "##x").endsWith("##x");
        assertThat(cased.tokenize("x".repeat(101))).containsExactly("[UNK]");
    }

    @Test
    void wordPieceCountsCodePointsNotUtf16Units() {
        Vocabulary emoji = Vocabulary.of(List.of("[UNK]", "😀", "##😀", "a", "##a"));
        BertWordTokenizer tokenizer = new BertWordTokenizer(emoji, false);
        // 100 emoji are 200 UTF-16 units but 100 characters for Python: not over the limit.
        List<String> pieces = tokenizer.tokenize("😀".repeat(100));
        assertThat(pieces).hasSize(100).startsWith("😀")
                .containsAll(Collections.nCopies(99, "##😀"));
        assertThat(tokenizer.tokenize("😀".repeat(101))).containsExactly("[UNK]");
        assertThat(tokenizer.tokenize("a😀a")).containsExactly("a", "##😀", "##a");
    }

    @Test
    void lowerCasingStripsAccentsButNotSpecialTokens() {
        BertWordTokenizer uncased = new BertWordTokenizer(vocab, true);
        // Python: BasicTokenizer(do_lower_case=True) gives 'cafe', 'οδος' (final sigma), 'istanbul', '[MASK]'.
        BasicTokenizer basic = new BasicTokenizer(true);
        assertThat(basic.tokenize("Café")).containsExactly("cafe");
        assertThat(basic.tokenize("ΟΔΟΣ")).containsExactly("οδος");
        assertThat(basic.tokenize("İstanbul")).containsExactly("istanbul");
        assertThat(basic.tokenize("[MASK]")).containsExactly("[MASK]");
        assertThat(uncased.tokenize("HELLO")).containsExactly("hello");
    }
}
