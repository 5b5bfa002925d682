package org.mafstream.model.scoring;

import java.util.List;

/**
 * One sentence of a MAF/UMT CoNLL file.
 *
 * @param imageId the id on the IMGID: line before it (the image is imageId + ".jpg"), "" if none
 * @param words the words, as the file has them
 * @param labels one label per word, B-OTHER/I-OTHER already read as B-MISC/I-MISC
 */
public record LabelledSentence(String imageId, List<String> words, List<String> labels) {

    public LabelledSentence {
        words = List.copyOf(words);
        labels = List.copyOf(labels);
        if (words.size() != labels.size()) {
            throw new IllegalArgumentException(words.size() + " words but " + labels.size() + " labels");
        }
    }
}
