package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.train.FeatureSource;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.train.SentenceFeatures;

/**
 * The command end to end on small CoNLL files, with a tiny vocabulary and features that are the
 * one-hot of each position's token id (each word here always has the same label, so the tags are
 * learnable).
 */
class TrainCommandTest {
    private static final String[][] WORDS = {
        {"Messi", "B-PER"}, {"Neymar", "B-PER"}, {"Jr", "I-PER"}, {"Paris", "B-LOC"}, {"Nike", "B-ORG"},
        {"Cup", "B-MISC"}, {"the", "O"}, {"in", "O"}, {"plays", "O"}, {"!", "O"}};
    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "Messi", "Ne", "##ymar", "Jr",
            "Paris", "Nike", "Cup", "the", "in", "plays", "!");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void trainsAndWritesAHeadsDirectoryThatRecordsTheRun(@TempDir Path dir) throws IOException {
        Path train = conll(dir.resolve("data/train.txt"), 120, 1);
        Path valid = conll(dir.resolve("data/valid.txt"), 40, 2);
        Path test = conll(dir.resolve("data/test.txt"), 40, 3);
        Path vocab = Files.write(dir.resolve("vocab.txt"), VOCAB);
        Path heads = dir.resolve("runs/heads");
        AtomicReference<Path> cache = new AtomicReference<>();
        List<String> names = new ArrayList<>();

        int code = run(new String[] {"--train", train.toString(), "--valid", valid.toString(), "--test", test.toString(),
                "--out", heads.toString(), "--vocab", vocab.toString(), "--epochs", "30", "--patience", "3",
                "--lr", "0.05", "--batch", "8", "--threads", "2"}, (cacheDir, log) -> {
                    cache.set(cacheDir);
                    return (name, sentences, sha) -> {
                        names.add(name);
                        return oneHotOfTokenIds(sentences);
                    };
                });

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(cache.get()).isEqualTo(dir.resolve("runs/features-cache").toAbsolutePath());
        assertThat(names).containsExactly("data-train", "data-valid", "data-test");
        HeadParameters read = HeadParameters.read(heads);
        assertThat(read.labels()).isEqualTo(ModelConfig.TWITTER_LABELS);
        assertThat(read.hidden()).isEqualTo(VOCAB.size());
        JsonNode training = read.training();
        assertThat(training.path("data").findValuesAsText("role")).containsExactly("train", "valid", "test");
        assertThat(training.path("data").get(0).path("sentences").asInt()).isEqualTo(120);
        assertThat(training.path("data").get(0).path("sha256").asText())
                .isEqualTo(org.mafstream.model.bundle.Sha256.of(Files.readAllBytes(train)));
        assertThat(training.path("commandLine").asText()).startsWith("java -jar model-export.jar train --train ")
                .contains("--lr 0.05");
        assertThat(training.path("seed").asLong()).isEqualTo(42);
        assertThat(training.path("hyperParameters").path("learningRate").asDouble()).isEqualTo(0.05);
        assertThat(training.path("validF1PerEpoch")).hasSize(training.path("epochsRun").asInt());
        assertThat(training.path("bestValid").path("overall").path("f1").asDouble()).isGreaterThan(0.95);
        assertThat(training.path("test").path("overall").path("f1").asDouble()).isGreaterThan(0.95);
        assertThat(training.path("test").path("perType").path("PER").path("gold").asInt()).isPositive();
        assertThat(training.path("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("train: 120 sentences").contains("best epoch")
                .contains("Overall  P 1.0000").contains("wrote ");
    }

    @Test
    void featuresOfTheWrongSentencesFailTheRun(@TempDir Path dir) throws IOException {
        Path train = conll(dir.resolve("train.txt"), 5, 1);
        Path vocab = Files.write(dir.resolve("vocab.txt"), VOCAB);

        int code = run(new String[] {"--train", train.toString(), "--valid", train.toString(), "--out", dir.resolve("o").toString(),
                "--vocab", vocab.toString()}, (cacheDir, log) -> (name, sentences, sha) ->
                SentenceFeatures.of(1, new int[sentences.size()], new float[0], "empty"));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("failed: train: sentence 0 encodes to");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void badArgumentsExitWith2AndTheUsage() {
        int code = run(new String[] {"--train", "a.txt"}, (cacheDir, log) -> {
            throw new AssertionError("no features for bad arguments");
        });

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("model-export train: Option --out is required")
                .contains("Run with --help for usage.");
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run(new String[] {"--help"}, (cacheDir, log) -> null)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: maf-stream train").contains("--patience").contains("default: the number of processors");
    }

    private int run(String[] args, BiFunction<Path, PrintStream, FeatureSource> sources) {
        return TrainCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), sources);
    }

    private static Path conll(Path file, int sentences, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            text.append("IMGID:").append(s).append('\n');
            for (int w = 0, n = 2 + random.nextInt(6); w < n; w++) {
                String[] word = WORDS[random.nextInt(WORDS.length)];
                text.append(word[0]).append('\t').append(word[1]).append('\n');
                if (word[0].equals("Neymar")) {
                    text.append("Jr\tI-PER\n");
                }
            }
            text.append('\n');
        }
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text.toString());
    }

    private static SentenceFeatures oneHotOfTokenIds(List<EncodedText> sentences) {
        int[] lengths = sentences.stream().mapToInt(EncodedText::length).toArray();
        float[] values = new float[java.util.Arrays.stream(lengths).sum() * VOCAB.size()];
        int row = 0;
        for (EncodedText sentence : sentences) {
            for (int p = 0; p < sentence.length(); p++, row++) {
                values[row * VOCAB.size() + sentence.inputIds()[p]] = 1;
            }
        }
        return SentenceFeatures.of(VOCAB.size(), lengths, values, "one-hot");
    }
}
