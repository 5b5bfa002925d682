package org.mafstream.model.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The original {@code WordpieceTokenizer}: greedy longest-match-first over code points, with
 * {@code ##} continuation pieces; a token over 100 code points, or one with a remainder that no
 * piece matches, becomes a single {@code [UNK]}.
 */
final class WordPiece {
    static final int MAX_INPUT_CHARS_PER_WORD = 100;

    private final Vocabulary vocab;

    WordPiece(Vocabulary vocab) {
        if (!vocab.contains(Vocabulary.UNK)) {
            throw new IllegalArgumentException("vocabulary has no " + Vocabulary.UNK);
        }
        this.vocab = vocab;
    }

    /** The pieces of one BasicTokenizer token (which holds no whitespace). */
    List<String> tokenize(String token) {
        // Python's len() and slices count code points: index by code point so that a slice never
        // splits a surrogate pair and an emoji counts once towards the limit of 100.
        int[] offsets = codePointOffsets(token);
        int length = offsets.length - 1;
        if (length > MAX_INPUT_CHARS_PER_WORD) {
            return List.of(Vocabulary.UNK);
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < length) {
            String match = null;
            // Pieces longer than the longest vocabulary token cannot match: skipping them changes nothing.
            int end = Math.min(length, start + vocab.longestTokenCodePoints());
            for (; end > start; end--) {
                String piece = token.substring(offsets[start], offsets[end]);
                if (start > 0) {
                    piece = "##" + piece;
                }
                if (vocab.contains(piece)) {
                    match = piece;
                    break;
                }
            }
            if (match == null) {
                return List.of(Vocabulary.UNK);
            }
            pieces.add(match);
            start = end;
        }
        return pieces;
    }

    /** offsets[k] = UTF-16 index of code point k; offsets[count] = length. */
    private static int[] codePointOffsets(String s) {
        int[] offsets = new int[s.codePointCount(0, s.length()) + 1];
        for (int i = 0, k = 0; i < s.length(); k++) {
            offsets[k] = i;
            i += Character.charCount(s.codePointAt(i));
        }
        offsets[offsets.length - 1] = s.length();
        return offsets;
    }
}
