package org.mafstream.model.text;

/** A word of a post with its UTF-16 offsets [start, end) in the post's text. */
public record Word(String text, int start, int end) {
    public Word {
        if (start < 0 || end - start != text.length()) {
            throw new IllegalArgumentException("offsets [" + start + ", " + end + ") do not fit '" + text + "'");
        }
    }
}
