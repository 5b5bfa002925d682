package org.mafstream.model.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python 3's {@code str.isspace()}, which {@code str.split()} and {@code str.strip()} use: the
 * 29 code points of bidirectional class WS, B or S or category Zs.
 *
 * <p>It differs from {@link Character#isWhitespace}: Python also counts U+0085 (NEL) and the
 * no-break spaces U+00A0, U+2007 and U+202F; both count U+001C..U+001F, U+2028 and U+2029; neither
 * counts the zero-width U+200B or U+180E. The set has not changed since Unicode 6.3.
 */
final class PythonWhitespace {
    private PythonWhitespace() {}

    static boolean isSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0
                || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** {@code text.split()}: the maximal runs of non-space characters. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); i++) {
            // No space is a supplementary character, so a UTF-16 unit test is exact.
            boolean space = isSpace(text.charAt(i));
            if (space && start >= 0) {
                parts.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            parts.add(text.substring(start));
        }
        return parts;
    }

    /** {@code text.strip()}. */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }
}
