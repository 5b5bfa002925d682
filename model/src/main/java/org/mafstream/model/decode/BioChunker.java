package org.mafstream.model.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups word labels into entity chunks with the original evaluation's lenient BIO rules
 * (ner_evaluate.get_chunks): O closes a chunk; any other tag starts one when none is open; a B-
 * or a change of type closes the open chunk and starts another; an I- of the same type extends
 * it. What happens to labels that are not entity tags (X, [CLS], [SEP], PAD) is the
 * {@link NonEntityTags} mode's choice.
 */
public final class BioChunker {

    /** Words [startWord, endWord) of one entity, by index into the labelled word list. */
    public record Chunk(String type, int start, int end) {}

    /** How a label that is neither O nor B-/I-TYPE is read. */
    public enum NonEntityTags {
        /** As O: what the runtime wants, since such a tag names no entity. */
        AS_O,
        /**
         * As get_chunks reads it: class = the text before the first '-', type = the text after the
         * last '-', so X, [CLS], [SEP] and PAD each form chunks of their own type (a run of X is one
         * chunk). Scores replicate the original's only with this mode.
         */
        AS_CHUNKS
    }

    /** A tag's class (B, I, X, ...) and type (PER, ..., or the tag itself). */
    private record Tag(String kind, String type) {}

    private BioChunker() {}

    /** Chunks with non-entity tags read as O. */
    public static List<Chunk> chunks(List<String> wordLabels) {
        return chunks(wordLabels, NonEntityTags.AS_O);
    }

    public static List<Chunk> chunks(List<String> wordLabels, NonEntityTags mode) {
        List<Chunk> chunks = new ArrayList<>();
        String openType = null;
        int openStart = -1;
        for (int i = 0; i < wordLabels.size(); i++) {
            Tag tag = parse(wordLabels.get(i), mode);
            if (tag == null) {
                if (openType != null) {
                    chunks.add(new Chunk(openType, openStart, i));
                    openType = null;
                }
                continue;
            }
            if (openType == null) {
                openType = tag.type();
                openStart = i;
            } else if (!tag.type().equals(openType) || tag.kind().equals("B")) {
                chunks.add(new Chunk(openType, openStart, i));
                openType = tag.type();
                openStart = i;
            }
        }
        if (openType != null) {
            chunks.add(new Chunk(openType, openStart, wordLabels.size()));
        }
        return chunks;
    }

    /** The tag of {@code label}, or null where it acts as O. */
    private static Tag parse(String label, NonEntityTags mode) {
        if (mode == NonEntityTags.AS_O) {
            return EntityLabels.isEntityTag(label) ? new Tag(label.substring(0, 1), label.substring(2)) : null;
        }
        if (label.equals("O")) {
            return null;
        }
        int firstDash = label.indexOf('-');
        return new Tag(firstDash < 0 ? label : label.substring(0, firstDash), label.substring(label.lastIndexOf('-') + 1));
    }
}
