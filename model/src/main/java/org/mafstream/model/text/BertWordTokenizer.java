package org.mafstream.model.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The original {@code BertTokenizer.tokenize}: BasicTokenizer, then WordPiece on each of its
 * tokens. MAF calls it once per word with {@code do_lower_case=False} (bert-base-cased).
 */
public final class BertWordTokenizer {
    private final BasicTokenizer basic;
    private final WordPiece wordPiece;

    public BertWordTokenizer(Vocabulary vocab, boolean doLowerCase) {
        this.basic = new BasicTokenizer(doLowerCase);
        this.wordPiece = new WordPiece(vocab);
    }

    /** The word's subword tokens; empty when nothing of the word survives cleaning (e.g. a soft hyphen). */
    public List<String> tokenize(String word) {
        List<String> subwords = new ArrayList<>();
        for (String token : basic.tokenize(word)) {
            subwords.addAll(wordPiece.tokenize(token));
        }
        return subwords;
    }
}
