package org.mafstream.model.train;

import java.util.List;
import org.mafstream.model.decode.ViterbiDecoder;
import org.mafstream.model.scoring.SpanScorer;
import org.mafstream.model.scoring.SpanScores;

/**
 * Decodes a data set with a head as the runtime will (float32 emissions and CRF, {@link
 * ViterbiDecoder}) and scores the tags with {@link SpanScorer}.
 */
public final class HeadEvaluation {
    private HeadEvaluation() {}

    public static SpanScores evaluate(TextHead head, TaggedSentences data, List<String> labels) {
        ViterbiDecoder viterbi = new ViterbiDecoder(head.crf().toFloat());
        SpanScorer scorer = new SpanScorer(labels);
        for (int i = 0; i < data.size(); i++) {
            double[][] emissions = head.emissions(data.features(), i);
            float[][] narrow = new float[emissions.length][];
            for (int t = 0; t < emissions.length; t++) {
                narrow[t] = Floats.narrow(emissions[t]);
            }
            scorer.add(data.gold().get(i), viterbi.decode(narrow, emissions.length));
        }
        return scorer.scores();
    }
}
