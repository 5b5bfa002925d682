package org.mafstream.model.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw post into the words MAF labels, following the Twitter MNER datasets (Twitter-2015
 * and Twitter-2017 as in UMT and MAF): one word per maximal run of non-whitespace characters, kept
 * exactly as written, so punctuation, {@code @mentions}, {@code #hashtags}, URLs and emoji stay
 * inside their word (BERT's tokenizer splits them into subwords later, within the word).
 *
 * <p>Whitespace is precisely Python's {@code str.split()} whitespace ({@code str.isspace()}):
 * U+0009..U+000D, U+001C..U+0020, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
 * U+202F, U+205F and U+3000. That is Java's {@link Character#isWhitespace} plus U+0085 and the
 * no-break spaces U+00A0, U+2007 and U+202F: a no-break space separates words here, as it would for
 * a dataset split with Python (the tokenizer would turn it into a space anyway, so only the word
 * grouping depends on this choice). Zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF)
 * and the soft hyphen U+00AD are not whitespace and stay inside their word; the datasets do hold
 * such characters as words of their own (e.g. a lone U+200B), which arise here when spaces surround them.
 *
 * <p>A word never contains U+0020, so {@link MafTextEncoder}'s re-split on spaces is the identity
 * for these words.
 */
public final class PostWords {
    private PostWords() {}

    /** The words of {@code text} in order, each with {@code text.substring(start, end)} equal to it. */
    public static List<Word> split(String text) {
        List<Word> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            // No whitespace character is supplementary, so a surrogate is never a boundary.
            boolean boundary = i == text.length() || PythonWhitespace.isSpace(text.charAt(i));
            if (boundary && start >= 0) {
                words.add(new Word(text.substring(start, i), start, i));
                start = -1;
            } else if (!boundary && start < 0) {
                start = i;
            }
        }
        return words;
    }

    /** Just the words' texts, as {@link MafTextEncoder#encode} takes them. */
    public static List<String> texts(List<Word> words) {
        return words.stream().map(Word::text).toList();
    }
}
