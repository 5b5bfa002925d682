package org.mafstream.model.decode;

import java.util.ArrayList;
import java.util.List;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.Word;

/**
 * Turns position tags into entity spans as the original evaluation reads them: each word takes
 * the tag of its first subword (words with no subword, or cut off by truncation, take none and
 * are skipped, as they are absent from the original's label sequence); the word labels are
 * chunked with {@link BioChunker}; chunks map back to character offsets through the words.
 */
public final class EntitySpanDecoder {
    private final List<String> labels;

    public EntitySpanDecoder(List<String> labels) {
        this.labels = List.copyOf(labels);
    }

    /**
     * @param tags Viterbi tags of positions 0..n-1
     * @param marginals [n][labels] CRF marginals, or null for no confidence
     */
    public List<EntitySpan> decode(String text, List<Word> words, EncodedText encoded, int[] tags, double[][] marginals) {
        List<Integer> labelledWords = new ArrayList<>();
        List<String> wordLabels = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            int position = encoded.firstSubwordPosition(w);
            if (position >= 0) {
                labelledWords.add(w);
                wordLabels.add(labels.get(tags[position]));
            }
        }
        List<EntitySpan> spans = new ArrayList<>();
        for (BioChunker.Chunk chunk : BioChunker.chunks(wordLabels)) {
            int firstWord = labelledWords.get(chunk.start());
            int lastWord = labelledWords.get(chunk.end() - 1);
            int charStart = words.get(firstWord).start();
            int charEnd = words.get(lastWord).end();
            spans.add(new EntitySpan(EntityLabels.canonicalType(chunk.type()), text.substring(charStart, charEnd), charStart, charEnd,
                    firstWord, lastWord + 1, confidence(chunk, labelledWords, encoded, tags, marginals)));
        }
        return spans;
    }

    private static Double confidence(BioChunker.Chunk chunk, List<Integer> labelledWords, EncodedText encoded,
                                     int[] tags, double[][] marginals) {
        if (marginals == null) {
            return null;
        }
        double sum = 0;
        for (int i = chunk.start(); i < chunk.end(); i++) {
            int position = encoded.firstSubwordPosition(labelledWords.get(i));
            sum += marginals[position][tags[position]];
        }
        return sum / (chunk.end() - chunk.start());
    }
}
