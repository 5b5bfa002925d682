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
 * Sentences as the fine-tuner reads them: each one's real token ids ([CLS] … [SEP]) and gold tag
 * per position, as MAF encodes and labels them.
 *
 * @param name for messages and reports, e.g. "twitter2017-valid"
 * @param file where they were read from, with its hash
 */
public record TokenSentences(String name, List<int[]> tokenIds, List<int[]> gold, TrainingRecord.DataFile file) {

    public TokenSentences {
        tokenIds = List.copyOf(tokenIds);
        gold = List.copyOf(gold);
        if (tokenIds.size() != gold.size()) {
            throw new IllegalArgumentException(name + ": " + tokenIds.size() + " sentences but " + gold.size() + " tag lists");
        }
    }

    /** Reads a MAF/UMT CoNLL file ({@link ConllSentences}: OTHER read as MISC). */
    public static TokenSentences read(String role, Path conll, MafTextEncoder encoder, List<String> labels, PrintStream log)
            throws IOException {
        String sha256 = org.mafstream.model.bundle.Sha256.of(Files.readAllBytes(conll));
        List<LabelledSentence> sentences = ConllSentences.read(conll);
        List<int[]> ids = new ArrayList<>(sentences.size());
        List<int[]> gold = new ArrayList<>(sentences.size());
        long positions = 0;
        for (int i = 0; i < sentences.size(); i++) {
            EncodedText text = encoder.encode(sentences.get(i).words());
            try {
                gold.add(GoldTags.of(text, sentences.get(i).labels(), labels));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(conll + ", sentence " + (i + 1) + ": " + e.getMessage(), e);
            }
            ids.add(java.util.Arrays.copyOf(text.inputIds(), text.length()));
            positions += text.length();
        }
        String name = PreparedDataSet.featureName(role, conll);
        log.printf(Locale.ROOT, "%s: %d sentences, %.1f positions on average, from %s (sha256 %s)%n",
                name, sentences.size(), (double) positions / Math.max(1, sentences.size()), conll, sha256);
        return new TokenSentences(name, ids, gold, new TrainingRecord.DataFile(role, conll.toString(), sha256, sentences.size()));
    }

    public int size() {
        return tokenIds.size();
    }

    public int length(int sentence) {
        return tokenIds.get(sentence).length;
    }

    /** Several files read as one training set, in the order given. */
    public static TokenSentences concatenate(String name, List<TokenSentences> parts) {
        List<int[]> ids = new ArrayList<>();
        List<int[]> gold = new ArrayList<>();
        for (TokenSentences part : parts) {
            ids.addAll(part.tokenIds());
            gold.addAll(part.gold());
        }
        return new TokenSentences(name, ids, gold, null);
    }

    public TextTrainingGraph.Batch batch(int[] sentences) {
        int[][] ids = new int[sentences.length][];
        int[][] tags = new int[sentences.length][];
        for (int i = 0; i < sentences.length; i++) {
            ids[i] = tokenIds.get(sentences[i]);
            tags[i] = gold.get(sentences[i]);
        }
        return new TextTrainingGraph.Batch(ids, tags);
    }
}
