package org.mafstream.model.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.graph.Gelu;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.pretrained.FrozenBert;
import org.mafstream.model.pretrained.GoogleBertWeights;
import org.mafstream.model.text.EncodedText;

/**
 * bert-base-cased sequence outputs (erf GELU, as in MAF) of tokenized sentences, computed once on
 * the CPU and cached in a file: the encoder is frozen, so every training epoch reuses them.
 */
public final class FrozenBertFeatures {
    static final int[] LENGTHS = {16, 32, 48, 64, 96, 128};
    private static final int BATCH = 16;
    private static final String ENCODER = "bert-base-cased from " + EasyBertModule.COORDINATES + ", gelu=erf";

    private FrozenBertFeatures() {}

    /**
     * The features of {@code sentences} from {@code cacheDir/name.features} when that file was
     * written for the same data ({@code dataSha256}) and encoder, else computed and cached.
     */
    public static SentenceFeatures load(Path cacheDir, String name, List<EncodedText> sentences, String dataSha256,
                                        PrintStream log) throws IOException {
        String key = ENCODER + "; data sha256=" + dataSha256 + "; sentences=" + sentences.size();
        Path file = cacheDir.resolve(name + ".features");
        SentenceFeatures cached = SentenceFeatures.readIfFor(file, key);
        if (cached != null) {
            log.printf("features: %s from cache %s%n", name, file);
            return cached;
        }
        EasyBertModule module = EasyBertModule.unpack(cacheDir);
        try (GoogleBertWeights weights = new GoogleBertWeights(module.variablesPrefix());
             FrozenBert bert = new FrozenBert(BertShape.BASE_CASED, Gelu.ERF, weights, LENGTHS)) {
            SentenceFeatures features = compute(bert, sentences, key, name, log);
            features.write(file);
            return features;
        }
    }

    /** Runs {@code bert} over the sentences in length-sorted batches; rows come back in input order. */
    public static SentenceFeatures compute(FrozenBert bert, List<EncodedText> sentences, String key, String name,
                                    PrintStream log) {
        int h = bert.hiddenSize();
        int[] lengths = sentences.stream().mapToInt(EncodedText::length).toArray();
        SentenceFeatures features = SentenceFeatures.of(h, lengths,
                new float[Math.toIntExact(Arrays.stream(lengths).asLongStream().sum() * h)], key);
        Integer[] order = IntStream.range(0, sentences.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        long start = System.nanoTime();
        for (int from = 0; from < order.length; from += BATCH) {
            int to = Math.min(order.length, from + BATCH);
            int[][] ids = new int[to - from][];
            for (int j = from; j < to; j++) {
                EncodedText text = sentences.get(order[j]);
                ids[j - from] = Arrays.copyOf(text.inputIds(), text.length());
            }
            float[][] rows = bert.encode(ids);
            for (int j = from; j < to; j++) {
                float[] sentence = rows[j - from];
                System.arraycopy(sentence, 0, features.values(), features.start(order[j], 0), sentence.length);
            }
            if ((from / BATCH) % 20 == 0 || to == order.length) {
                double seconds = (System.nanoTime() - start) / 1e9;
                log.printf("features: %s %d/%d sentences, %.0f s (%.1f sentences/s)%n", name, to, order.length,
                        seconds, to / seconds);
            }
        }
        return features;
    }
}
