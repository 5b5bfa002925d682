package org.mafstream.model.scoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.decode.BioChunker;
import org.mafstream.model.decode.BioChunker.Chunk;

/**
 * Scores predicted tags against gold ones exactly as the original run_gate_cl.py evaluation does.
 * Per sentence, positions 1..n-1 whose gold label is neither X nor [SEP] are kept (the first
 * subwords of the words); the gold and the predicted labels there are chunked with get_chunks'
 * rules, a predicted X, [CLS], [SEP] or PAD making a chunk of its own type that matches no gold
 * chunk; chunks are compared as sets per sentence. Deviation: the original raises KeyError on a
 * predicted PAD (id 0 is not in its tag map); here it is one more unmatched chunk.
 */
public final class SpanScorer {
    /** The types the original reports one by one. */
    public static final List<String> ENTITY_TYPES = List.of("PER", "LOC", "ORG", "MISC");

    private final List<String> labels;
    private int sentences;
    private SpanScores.Counts overall = new SpanScores.Counts(0, 0, 0);
    private final Map<String, SpanScores.Counts> perType = new LinkedHashMap<>();

    /** @param labels the label of each tag id, e.g. {@link ModelConfig#TWITTER_LABELS} */
    public SpanScorer(List<String> labels) {
        this.labels = List.copyOf(labels);
        for (String type : ENTITY_TYPES) {
            perType.put(type, new SpanScores.Counts(0, 0, 0));
        }
    }

    public static SpanScorer twitter() {
        return new SpanScorer(ModelConfig.TWITTER_LABELS);
    }

    /** Scores a whole set at once. */
    public static SpanScores score(List<String> labels, List<int[]> gold, List<int[]> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(gold.size() + " gold sentences but " + predicted.size() + " predicted");
        }
        SpanScorer scorer = new SpanScorer(labels);
        for (int i = 0; i < gold.size(); i++) {
            scorer.add(gold.get(i), predicted.get(i));
        }
        return scorer.scores();
    }

    /**
     * Adds one sentence.
     *
     * @param gold gold label ids of positions 0..n-1 ([CLS], subwords, [SEP])
     * @param predicted predicted tag ids of the same positions (e.g. Viterbi's)
     */
    public void add(int[] gold, int[] predicted) {
        if (gold.length != predicted.length) {
            throw new IllegalArgumentException("gold has " + gold.length + " positions, predicted " + predicted.length);
        }
        List<String> goldLabels = new ArrayList<>();
        List<String> predictedLabels = new ArrayList<>();
        for (int j = 1; j < gold.length; j++) {
            String goldLabel = label(gold[j]);
            if (!goldLabel.equals("X") && !goldLabel.equals("[SEP]")) {
                goldLabels.add(goldLabel);
                predictedLabels.add(label(predicted[j]));
            }
        }
        addChunks(new HashSet<>(BioChunker.chunks(goldLabels, BioChunker.NonEntityTags.AS_CHUNKS)),
                new HashSet<>(BioChunker.chunks(predictedLabels, BioChunker.NonEntityTags.AS_CHUNKS)));
    }

    /** Adds one sentence given as chunk sets, e.g. entity spans by word index. */
    public void addChunks(Set<Chunk> goldChunks, Set<Chunk> predictedChunks) {
        Set<Chunk> goldSet = goldChunks;
        overall = overall.plus(predictedChunks.stream().filter(goldSet::contains).count(), predictedChunks.size(), goldChunks.size());
        for (String type : ENTITY_TYPES) {
            List<Chunk> predictedOfType = predictedChunks.stream().filter(c -> c.type().equals(type)).toList();
            perType.put(type, perType.get(type).plus(predictedOfType.stream().filter(goldSet::contains).count(),
                    predictedOfType.size(), goldChunks.stream().filter(c -> c.type().equals(type)).count()));
        }
        sentences++;
    }

    public SpanScores scores() {
        return new SpanScores(sentences, overall, perType);
    }

    private String label(int id) {
        if (id < 0 || id >= labels.size()) {
            throw new IllegalArgumentException("tag id " + id + " is not one of the " + labels.size() + " labels");
        }
        return labels.get(id);
    }
}
