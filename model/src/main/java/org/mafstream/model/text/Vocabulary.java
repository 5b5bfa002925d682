package org.mafstream.model.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT {@code vocab.txt} (bert-base-cased for MAF): token to id, the id being the 0-based line
 * number. Read as the original {@code load_vocab} does: UTF-8 (malformed input is an error), lines
 * ended by \n, \r or \r\n, each token stripped of Python whitespace ({@code str.strip()}, not
 * {@link String#strip()}), and a repeated token keeps its last line's id.
 */
public final class Vocabulary {
    public static final String UNK = "[UNK]";

    private final Map<String, Integer> ids;
    private final List<String> lines;
    private final int longestToken;

    private Vocabulary(List<String> lines) {
        this.lines = List.copyOf(lines);
        this.ids = new HashMap<>(2 * lines.size());
        int longest = 0;
        for (int i = 0; i < lines.size(); i++) {
            String token = lines.get(i);
            ids.put(token, i);
            longest = Math.max(longest, token.codePointCount(0, token.length()));
        }
        this.longestToken = longest;
    }

    public static Vocabulary load(Path vocabTxt) throws IOException {
        List<String> lines = new ArrayList<>();
        // newBufferedReader decodes strictly; readLine ends lines at \n, \r or \r\n like Python's universal newlines.
        try (BufferedReader reader = Files.newBufferedReader(vocabTxt, StandardCharsets.UTF_8)) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(PythonWhitespace.strip(line));
            }
        }
        return of(lines);
    }

    /** A vocabulary whose token i is {@code tokens.get(i)}. */
    public static Vocabulary of(List<String> tokens) {
        return new Vocabulary(tokens);
    }

    /** The id of a token; unknown tokens are an error (the original raises KeyError). */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("token not in vocabulary: " + token);
        }
        return id;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token on line {@code id}. */
    public String token(int id) {
        return lines.get(id);
    }

    /** Number of lines, i.e. of ids (bert-base-cased: 28996). */
    public int size() {
        return lines.size();
    }

    public int unkId() {
        return id(UNK);
    }

    /** Length in code points of the longest token: no longer piece can match, so WordPiece need not try one. */
    int longestTokenCodePoints() {
        return longestToken;
    }
}
