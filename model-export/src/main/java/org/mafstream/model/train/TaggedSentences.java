package org.mafstream.model.train;

import java.util.List;
import org.mafstream.model.text.EncodedText;

/**
 * A data set ready for the head: gold tag ids of positions 0..n-1 of each sentence, and the
 * frozen BERT features of the same positions.
 *
 * @param name for messages, e.g. "valid"
 */
public record TaggedSentences(String name, List<int[]> gold, SentenceFeatures features) {

    public TaggedSentences {
        gold = List.copyOf(gold);
        if (gold.size() != features.size()) {
            throw new IllegalArgumentException(name + ": " + gold.size() + " sentences but features for " + features.size());
        }
        for (int i = 0; i < gold.size(); i++) {
            checkLength(name, i, gold.get(i).length, features);
        }
    }

    /** Checks that the features were computed for these encoded sentences, position for position. */
    public static TaggedSentences of(String name, List<EncodedText> texts, List<int[]> gold, SentenceFeatures features) {
        if (texts.size() != features.size()) {
            throw new IllegalArgumentException(name + ": " + texts.size() + " sentences but features for " + features.size());
        }
        for (int i = 0; i < texts.size(); i++) {
            checkLength(name, i, texts.get(i).length(), features);
        }
        return new TaggedSentences(name, gold, features);
    }

    public int size() {
        return gold.size();
    }

    private static void checkLength(String name, int sentence, int positions, SentenceFeatures features) {
        int rows = features.lengths()[sentence];
        if (rows != positions) {
            throw new IllegalArgumentException(name + ": sentence " + sentence + " encodes to " + positions
                    + " positions but its features have " + rows + " rows: features of other sentences or another tokenizer?");
        }
    }
}
