package org.mafstream.model.scoring;

import java.util.List;
import org.mafstream.model.text.EncodedText;

/**
 * The gold label ids of an encoded sentence, built as the original convert_mm_examples_to_features
 * builds label_ids: [CLS] at position 0, each word's label on its first subword, X on its other
 * subwords, [SEP] at position n-1 (truncation cuts labels with the subwords).
 */
public final class GoldTags {
    private GoldTags() {}

    /**
     * @param text the sentence as {@link org.mafstream.model.text.MafTextEncoder} encoded it
     * @param wordLabels one label per word
     * @param labels the label of each id (PAD first), e.g. ModelConfig.TWITTER_LABELS
     */
    public static int[] of(EncodedText text, List<String> wordLabels, List<String> labels) {
        if (text.words().size() != wordLabels.size()) {
            // Only a word containing a space can cause this; the original then misaligns and fails.
            throw new IllegalArgumentException(wordLabels.size() + " labels for " + text.words().size()
                    + " words after re-splitting on spaces: " + text.words());
        }
        int n = text.length();
        int[] tags = new int[n];
        tags[0] = id(labels, "[CLS]");
        int x = id(labels, "X");
        for (int position = 1; position < n - 1; position++) {
            int word = text.wordIndex()[position];
            tags[position] = text.isFirstSubword(position) ? id(labels, wordLabels.get(word)) : x;
        }
        tags[n - 1] = id(labels, "[SEP]");
        return tags;
    }

    private static int id(List<String> labels, String label) {
        int id = labels.indexOf(label);
        if (id < 1) { // PAD (id 0) is not a label the original's label_map knows
            throw new IllegalArgumentException("unknown label '" + label + "' (known: " + labels.subList(1, labels.size()) + ")");
        }
        return id;
    }
}
