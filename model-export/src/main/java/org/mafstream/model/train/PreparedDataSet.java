package org.mafstream.model.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mafstream.model.scoring.ConllSentences;
import org.mafstream.model.scoring.GoldTags;
import org.mafstream.model.scoring.LabelledSentence;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.MafTextEncoder;

/**
 * One CoNLL file made ready for the trainer: read, encoded as MAF encodes text, gold tags built,
 * features fetched and checked against the encoding.
 */
public record PreparedDataSet(TaggedSentences sentences, TrainingRecord.DataFile file) {

    /** @param role train, valid or test */
    public static PreparedDataSet load(String role, Path conll, MafTextEncoder encoder, List<String> labels,
                                       FeatureSource features, PrintStream log) throws IOException {
        String sha256 = org.mafstream.model.bundle.Sha256.of(Files.readAllBytes(conll));
        List<LabelledSentence> sentences = ConllSentences.read(conll);
        List<EncodedText> texts = new ArrayList<>(sentences.size());
        List<int[]> gold = new ArrayList<>(sentences.size());
        int truncated = 0;
        long positions = 0;
        for (int i = 0; i < sentences.size(); i++) {
            LabelledSentence sentence = sentences.get(i);
            EncodedText text = encoder.encode(sentence.words());
            try {
                gold.add(GoldTags.of(text, sentence.labels(), labels));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(conll + ", sentence " + (i + 1) + ": " + e.getMessage(), e);
            }
            texts.add(text);
            truncated += text.truncated() ? 1 : 0;
            positions += text.length();
        }
        log.printf(Locale.ROOT, "%s: %d sentences, %d positions, %d truncated, from %s (sha256 %s)%n",
                role, sentences.size(), positions, truncated, conll, sha256);
        SentenceFeatures computed = features.load(featureName(role, conll), texts, sha256);
        return new PreparedDataSet(TaggedSentences.of(role, texts, gold, computed),
                new TrainingRecord.DataFile(role, conll.toString(), sha256, sentences.size()));
    }

    /** E.g. "twitter2017-train" for .../twitter2017/train.txt: unique enough for a cache file name. */
    static String featureName(String role, Path conll) {
        String file = conll.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path parent = conll.toAbsolutePath().getParent();
        String prefix = parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "-";
        return (prefix + file).replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
