package org.mafstream.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mafstream.model.scoring.SpanScores;

/**
 * How a head was trained, stored as the {@code training} object of its manifest so that a
 * committed head says where it came from and how to make it again.
 *
 * @param features what the frozen features were
 * @param data the files used, with their hashes
 * @param commandLine the train command's arguments, as given
 * @param hyperParameters the settings (seed included)
 * @param validF1PerEpoch valid F1 after each epoch run, during training
 * @param bestValid valid scores of the stored (float32) parameters
 * @param test test scores of the stored parameters, or null without a test file
 * @param date ISO-8601 instant the run finished
 */
public record TrainingRecord(
        String features,
        List<DataFile> data,
        String commandLine,
        long seed,
        TrainerSettings hyperParameters,
        int epochsRun,
        int bestEpoch,
        List<Double> trainLossPerEpoch,
        List<Double> validF1PerEpoch,
        Scores bestValid,
        Scores test,
        double trainingSeconds,
        String date) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param role train, valid or test */
    public record DataFile(String role, String path, String sha256, int sentences) {}

    public record Figures(double precision, double recall, double f1, long correct, long predicted, long gold) {
        static Figures of(SpanScores.Counts counts) {
            return new Figures(counts.precision(), counts.recall(), counts.f1(), counts.correct(), counts.predicted(), counts.gold());
        }
    }

    public record Scores(Figures overall, Map<String, Figures> perType) {
        public static Scores of(SpanScores scores) {
            if (scores == null) {
                return null;
            }
            Map<String, Figures> perType = new LinkedHashMap<>();
            scores.perType().forEach((type, counts) -> perType.put(type, Figures.of(counts)));
            return new Scores(Figures.of(scores.overall()), perType);
        }
    }

    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }
}
