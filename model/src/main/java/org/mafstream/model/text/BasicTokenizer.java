package org.mafstream.model.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The original {@code BasicTokenizer}: clean the text, put spaces around CJK ideographs, split on
 * whitespace, optionally lower-case and strip accents, split off every punctuation character.
 * Works on code points throughout (Python iterates code points; an emoji is one character there).
 */
final class BasicTokenizer {
    /** Tokens that are never lower-cased or punctuation-split. */
    static final Set<String> NEVER_SPLIT = Set.of("[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]");

    private final boolean doLowerCase;

    BasicTokenizer(boolean doLowerCase) {
        this.doLowerCase = doLowerCase;
    }

    List<String> tokenize(String text) {
        String spaced = spaceCjk(clean(text));
        List<String> pieces = new ArrayList<>();
        for (String token : whitespaceTokenize(spaced)) {
            if (doLowerCase && !NEVER_SPLIT.contains(token)) {
                // Python's str.lower() is the full Unicode mapping, final sigma included, as here with ROOT.
                token = stripAccents(token.toLowerCase(Locale.ROOT));
            }
            pieces.addAll(splitOnPunctuation(token));
        }
        // The original joins with ' ' and splits again; kept because a piece could in principle be empty.
        return whitespaceTokenize(String.join(" ", pieces));
    }

    /** {@code _clean_text}: drop U+0000, U+FFFD and controls, map whitespace to ' '. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            CharClass c = CharClass.of(cp);
            if (cp == 0 || cp == 0xFFFD || c == CharClass.CONTROL) {
                return;
            }
            if (c == CharClass.WHITESPACE) {
                out.append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** {@code _tokenize_chinese_chars}. */
    static String spaceCjk(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (isCjkIdeograph(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** {@code _is_chinese_char}: the CJK Unified Ideographs blocks, exactly the original's ranges. */
    static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /**
     * {@code whitespace_tokenize}: Python's {@code strip().split()}. After cleaning, the only
     * Python whitespace left besides ' ' is U+2028 and U+2029 (categories Zl and Zp are neither
     * control nor Zs), and they split here just as in the original.
     */
    static List<String> whitespaceTokenize(String text) {
        return PythonWhitespace.split(text);
    }

    /** {@code _run_strip_accents}: NFD, then drop category Mn. */
    static String stripAccents(String text) {
        StringBuilder out = new StringBuilder(text.length());
        Normalizer.normalize(text, Normalizer.Form.NFD).codePoints()
                .filter(cp -> CharClass.of(cp) != CharClass.NONSPACING_MARK)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    /** {@code _run_split_on_punc}: every punctuation code point becomes a token of its own. */
    static List<String> splitOnPunctuation(String token) {
        if (NEVER_SPLIT.contains(token)) {
            return List.of(token);
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            if (CharClass.of(cp) == CharClass.PUNCTUATION) {
                if (current != null) {
                    out.add(current.toString());
                    current = null;
                }
                out.add(Character.toString(cp));
            } else {
                if (current == null) {
                    current = new StringBuilder();
                }
                current.appendCodePoint(cp);
            }
        }
        if (current != null) {
            out.add(current.toString());
        }
        return out;
    }
}
