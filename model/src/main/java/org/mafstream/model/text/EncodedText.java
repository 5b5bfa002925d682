package org.mafstream.model.text;

import java.util.List;

/**
 * MAF's text input for one sentence. The four arrays have maxSeqLength (128) entries and are
 * shared, not copied: do not modify them.
 *
 * @param inputIds token ids, 0 after position n
 * @param inputMask 1 for the n real positions, then 0
 * @param segmentIds all 0 (one segment)
 * @param wordIndex the word of each position, -1 for [CLS], [SEP] and padding
 * @param length n, the number of real positions (at most maxSeqLength)
 * @param subwordsBeforeTruncation the number of subwords of all words
 * @param truncated whether subwords were dropped: subwordsBeforeTruncation >= maxSeqLength - 1
 * @param firstSubwordPositions per word, the position of its first subword, or -1
 * @param tokens the n real tokens: [CLS], subwords, [SEP]
 * @param words the words as encoded: the caller's words re-split on U+0020 as the original does
 *     (identical to them when no word contains a space); word indices refer to this list
 */
public record EncodedText(
        int[] inputIds,
        int[] inputMask,
        int[] segmentIds,
        int[] wordIndex,
        int length,
        int subwordsBeforeTruncation,
        boolean truncated,
        int[] firstSubwordPositions,
        List<String> tokens,
        List<String> words) {

    public EncodedText {
        words = List.copyOf(words);
        tokens = List.copyOf(tokens);
        if (tokens.size() != length || firstSubwordPositions.length != words.size()
                || inputMask.length != inputIds.length || segmentIds.length != inputIds.length
                || wordIndex.length != inputIds.length || length > inputIds.length) {
            throw new IllegalArgumentException("inconsistent encoded text");
        }
    }

    /**
     * The position of word {@code word}'s first subword, which carries the word's label; -1 if the
     * word has no subword (e.g. only a soft hyphen) or its first subword was truncated away. A word
     * cut after its first subword keeps that position.
     */
    public int firstSubwordPosition(int word) {
        return firstSubwordPositions[word];
    }

    /** Whether {@code position} holds the first subword of some word. */
    public boolean isFirstSubword(int position) {
        int word = wordIndex[position];
        return word >= 0 && firstSubwordPositions[word] == position;
    }
}
