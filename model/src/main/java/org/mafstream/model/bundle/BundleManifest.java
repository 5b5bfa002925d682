package org.mafstream.model.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mafstream.model.arch.BertShape;

/**
 * {@code manifest.json} of a model bundle: everything a reader of the bundle needs besides the
 * SavedModels themselves. The one definition of the bundle's contract, used by the exporter and
 * by the job.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; readers refuse any other
 * @param trained false for a randomly initialised bundle (demos and tests only)
 * @param labels label names in id order; id 0 is PAD
 * @param sources the checkpoint files the bundle was exported from, with their SHA-256
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
        int formatVersion,
        String name,
        String version,
        boolean trained,
        String description,
        List<String> labels,
        int maxSeqLength,
        boolean doLowerCase,
        VocabFile vocab,
        TextModel text,
        ImageModel image,
        CrfParameters crf,
        List<SourceFile> sources,
        String exporterVersion) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The vocabulary file inside the bundle. */
    public record VocabFile(String file, int size, String sha256) {}

    /**
     * The text SavedModel: signatures {@code maf} and {@code maf_debug}. {@code lengthBuckets}
     * (ascending, the last = {@code maxSeqLength}) are the sequence lengths the model may be fed a
     * batch at, padded to the shortest that holds its longest text; absent: always
     * {@code maxSeqLength} (a full MAF, whose matching classifier reads every position).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TextModel(String dir, String signature, String debugSignature, BertShape bert,
                            List<Integer> lengthBuckets) {}

    /**
     * The image SavedModel: signature {@code image_regions}, pixels [B, size, size, 3] normalized
     * per channel as (x/255 − mean)/std, giving [B, regions, regionChannels]. {@code dir} is null
     * in a bundle whose image branch is disabled: it has no image encoder, the text model gets
     * zero regions and its retain score is 0 by construction.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageModel(String dir, String signature, int size, String layout, float[] mean, float[] std,
                             int regions, int regionChannels, List<Integer> resnetBlocks, List<Integer> resnetPlanes) {}

    /** A source checkpoint file. */
    public record SourceFile(String file, long bytes, String sha256) {}

    /** Whether the bundle has an image encoder (false: text-only, image branch disabled). */
    public boolean hasImageEncoder() {
        return image.dir() != null;
    }

    /** The shortest sequence length this bundle's text model may run {@code positions} real positions at. */
    public int sequenceLengthFor(int positions) {
        if (text.lengthBuckets() != null) {
            for (int bucket : text.lengthBuckets()) {
                if (bucket >= positions) {
                    return bucket;
                }
            }
        }
        return maxSeqLength;
    }

    public void write(Path bundleDir) throws IOException {
        JSON.writeValue(bundleDir.resolve(FILE_NAME).toFile(), this);
    }

    /** Reads and checks the manifest of {@code bundleDir}. */
    public static BundleManifest read(Path bundleDir) throws IOException {
        Path file = bundleDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a model bundle: " + file + " is missing");
        }
        BundleManifest manifest = JSON.readValue(file.toFile(), BundleManifest.class);
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw new IOException(file + ": bundle format version " + manifest.formatVersion()
                    + " is not supported (this build reads version " + FORMAT_VERSION + "); re-export the model");
        }
        return manifest;
    }
}
