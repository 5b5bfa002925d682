package org.mafstream.model.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The text half of the original {@code convert_mm_examples_to_features}: tokenize word by word,
 * keep the first maxSeqLength - 2 subwords when there are maxSeqLength - 1 or more, wrap them in
 * [CLS] ... [SEP] and pad with 0.
 */
public final class MafTextEncoder {
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";

    private final Vocabulary vocab;
    private final BertWordTokenizer tokenizer;
    private final int maxSeqLength;

    public MafTextEncoder(Vocabulary vocab, boolean doLowerCase, int maxSeqLength) {
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("maxSeqLength must leave room for [CLS] and [SEP]: " + maxSeqLength);
        }
        this.vocab = vocab;
        this.tokenizer = new BertWordTokenizer(vocab, doLowerCase);
        this.maxSeqLength = maxSeqLength;
    }

    public EncodedText encode(List<String> words) {
        List<String> encodedWords = resplit(words);
        List<String> subwords = new ArrayList<>();
        List<Integer> subwordWord = new ArrayList<>();
        for (int w = 0; w < encodedWords.size(); w++) {
            for (String subword : tokenizer.tokenize(encodedWords.get(w))) {
                subwords.add(subword);
                subwordWord.add(w);
            }
        }
        int before = subwords.size();
        // Note the original's >=: exactly maxSeqLength - 1 subwords also lose their last one.
        boolean truncated = before >= maxSeqLength - 1;
        int kept = truncated ? maxSeqLength - 2 : before;

        List<String> tokens = new ArrayList<>(kept + 2);
        int[] inputIds = new int[maxSeqLength];
        int[] inputMask = new int[maxSeqLength];
        int[] segmentIds = new int[maxSeqLength];
        int[] wordIndex = new int[maxSeqLength];
        int[] firstSubword = new int[encodedWords.size()];
        Arrays.fill(wordIndex, -1);
        Arrays.fill(firstSubword, -1);
        tokens.add(CLS);
        for (int i = 0; i < kept; i++) {
            int position = i + 1;
            int word = subwordWord.get(i);
            tokens.add(subwords.get(i));
            wordIndex[position] = word;
            if (firstSubword[word] < 0) {
                firstSubword[word] = position;
            }
        }
        tokens.add(SEP);
        for (int p = 0; p < tokens.size(); p++) {
            inputIds[p] = vocab.id(tokens.get(p));
            inputMask[p] = 1;
        }
        return new EncodedText(inputIds, inputMask, segmentIds, wordIndex, tokens.size(), before, truncated,
                firstSubword, tokens, encodedWords);
    }

    /**
     * The original joins the words with ' ' and splits on ' ' (Python {@code split(' ')}: empty
     * strings kept). That is the identity, except that a word containing U+0020 becomes several
     * words, and no words at all become one empty word. {@link PostWords} never yields a space.
     */
    static List<String> resplit(List<String> words) {
        String joined = String.join(" ", words);
        List<String> out = new ArrayList<>(words.size());
        int start = 0;
        for (int i = joined.indexOf(' '); i >= 0; i = joined.indexOf(' ', start)) {
            out.add(joined.substring(start, i));
            start = i + 1;
        }
        out.add(joined.substring(start));
        return out;
    }

    public int maxSeqLength() {
        return maxSeqLength;
    }
}
