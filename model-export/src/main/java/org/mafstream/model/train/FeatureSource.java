package org.mafstream.model.train;

import java.io.IOException;
import java.util.List;
import org.mafstream.model.text.EncodedText;

/** Where the train command gets frozen BERT features: {@link FrozenBertFeatureSource}, or synthetic ones in tests. */
@FunctionalInterface
public interface FeatureSource {

    /**
     * The features of positions 0..n-1 of each sentence, in order.
     *
     * @param name the data set's name (for a cache file and messages), e.g. "twitter2017-train"
     * @param dataSha256 sha256 of the data file the sentences come from, so a cache can tell it is stale
     */
    SentenceFeatures load(String name, List<EncodedText> sentences, String dataSha256) throws IOException;
}
