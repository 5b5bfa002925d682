package org.mafstream.model.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How BERT's BasicTokenizer sees one code point ({@code _is_whitespace}, {@code _is_control},
 * {@code _is_punctuation}, category Mn), read from a table of Unicode 14.0 as Python 3.11 (the
 * Python that produced the tokenizer goldens) classifies it.
 *
 * <p>Why a table and not {@link Character#getType}: Java 17 knows Unicode 13.0, so the 838 code
 * points added in 14.0 (new emoji such as U+1FAE0 🫠, punctuation such as U+2E53) are
 * unassigned (category Cn, hence "control" and deleted) for Java but kept by Python; a newer JVM
 * would in turn keep characters that Python 3.11 deletes. The table makes the result independent
 * of the JVM. Its header holds the Python that generated it.
 */
enum CharClass {
    /** space, \t \n \r or category Zs: becomes a space */
    WHITESPACE,
    /** category C* other than \t \n \r: deleted */
    CONTROL,
    /** ASCII 33-47, 58-64, 91-96, 123-126 or category P*: a token of its own */
    PUNCTUATION,
    /** category Mn: dropped by accent stripping (lower-casing models only) */
    NONSPACING_MARK,
    OTHER;

    private static final String TABLE = "bert-char-classes.txt";
    private static final int[] RUN_STARTS;
    private static final CharClass[] RUN_CLASSES;

    static {
        int[] starts = new int[4096];
        CharClass[] classes = new CharClass[4096];
        int n = 0;
        try (InputStream in = CharClass.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TABLE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, 2 * n);
                    classes = Arrays.copyOf(classes, 2 * n);
                }
                starts[n] = Integer.parseInt(line.substring(0, line.indexOf(' ')), 16);
                classes[n] = fromLetter(line.charAt(line.length() - 1));
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RUN_STARTS = Arrays.copyOf(starts, n);
        RUN_CLASSES = Arrays.copyOf(classes, n);
    }

    private static CharClass fromLetter(char letter) {
        return switch (letter) {
            case 'W' -> WHITESPACE;
            case 'C' -> CONTROL;
            case 'P' -> PUNCTUATION;
            case 'M' -> NONSPACING_MARK;
            case 'O' -> OTHER;
            default -> throw new IllegalStateException("bad class letter " + letter + " in " + TABLE);
        };
    }

    /** The class of a code point; a lone surrogate is CONTROL (category Cs), as in Python. */
    static CharClass of(int codePoint) {
        if (codePoint < 0 || codePoint > Character.MAX_CODE_POINT) {
            throw new IllegalArgumentException("not a code point: " + codePoint);
        }
        int i = Arrays.binarySearch(RUN_STARTS, codePoint);
        return RUN_CLASSES[i >= 0 ? i : -i - 2];
    }
}
