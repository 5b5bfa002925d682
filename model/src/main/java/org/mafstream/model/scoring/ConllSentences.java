package org.mafstream.model.scoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a MAF/UMT CoNLL file ({@code train.txt}, {@code valid.txt}, {@code test.txt}) line by line
 * as the original mmreadfile does, quirks included: an {@code IMGID:} line sets the image, a line
 * starting with a newline closes the open sentence if it has words, and any other line is
 * {@code word TAB label}: the word is the text before the first tab and the label the text after
 * the last tab minus its last character (meant to be the newline, so a last line without one
 * loses a real character, as in the original). B-OTHER/I-OTHER become B-MISC/I-MISC.
 */
public final class ConllSentences {
    private static final String IMGID = "IMGID:";

    private ConllSentences() {}

    /** Decodes UTF-8 strictly; \r\n and \r read as \n, like Python's text mode. */
    public static List<LabelledSentence> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
        return parse(text);
    }

    static List<LabelledSentence> parse(String text) {
        List<LabelledSentence> sentences = new ArrayList<>();
        String imageId = "";
        List<String> words = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            String line = text.substring(start, end); // with its newline, as Python iterates
            start = end;
            if (line.startsWith(IMGID)) {
                imageId = imageId(line);
            } else if (line.charAt(0) == '\n') {
                if (!words.isEmpty()) {
                    sentences.add(new LabelledSentence(imageId, words, labels));
                    words = new ArrayList<>();
                    labels = new ArrayList<>();
                    imageId = "";
                }
            } else {
                String[] fields = line.split("\t", -1);
                words.add(fields[0]);
                String last = fields[fields.length - 1];
                labels.add(canonicalLabel(last.substring(0, Math.max(0, last.length() - 1))));
            }
        }
        if (!words.isEmpty()) {
            sentences.add(new LabelledSentence(imageId, words, labels));
        }
        return sentences;
    }

    /** {@code line.strip().split('IMGID:')[1]}: the text after the marker, up to a repeated one. */
    private static String imageId(String line) {
        String stripped = line.strip();
        String rest = stripped.substring(IMGID.length());
        int again = rest.indexOf(IMGID);
        return again < 0 ? rest : rest.substring(0, again);
    }

    static String canonicalLabel(String label) {
        return switch (label) {
            case "B-OTHER" -> "B-MISC";
            case "I-OTHER" -> "I-MISC";
            default -> label;
        };
    }
}
