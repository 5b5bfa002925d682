package org.mafstream.model.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups word labels into entity chunks with the original evaluation's lenient BIO rules
 * (ner_evaluate.get_chunks): O closes a chunk; any B- or I- starts one when none is open; a B-
 * or a change of type closes the open chunk and starts another; an I- of the same type extends
 * it. Labels that are not entity tags (X, [CLS], [SEP], PAD) count as O.
 */
public final class BioChunker {

    /** Words [startWord, endWord) of one entity, by index into the labelled word list. */
    public record Chunk(String type, int start, int end) {}

    private BioChunker() {}

    public static List<Chunk> chunks(List<String> wordLabels) {
        List<Chunk> chunks = new ArrayList<>();
        String openType = null;
        int openStart = -1;
        for (int i = 0; i < wordLabels.size(); i++) {
            String label = wordLabels.get(i);
            if (!isEntityTag(label)) {
                if (openType != null) {
                    chunks.add(new Chunk(openType, openStart, i));
                    openType = null;
                }
                continue;
            }
            String type = label.substring(2);
            if (openType == null) {
                openType = type;
                openStart = i;
            } else if (!type.equals(openType) || label.startsWith("B-")) {
                chunks.add(new Chunk(openType, openStart, i));
                openType = type;
                openStart = i;
            }
        }
        if (openType != null) {
            chunks.add(new Chunk(openType, openStart, wordLabels.size()));
        }
        return chunks;
    }

    static boolean isEntityTag(String label) {
        return (label.startsWith("B-") || label.startsWith("I-")) && label.length() > 2;
    }
}
