package org.mafstream.model.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.bundle.Sha256;
import org.mafstream.model.export.FineTuneCommand;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.TensorFile;

/**
 * The trained part of a text-only model, as committed: the heads (emission classifier and CRF)
 * and, for a fine-tuned model, what fine-tuning changed in BERT. bert-base-cased itself comes from
 * the Maven artifact when the bundle is assembled.
 *
 * @param adapters null for heads trained over frozen BERT
 * @param source where the files were read from, for the bundle's record
 */
public record TextModelParts(HeadParameters heads, BertAdapters adapters, String source) {

    /** A heads directory, with {@code adapters.{json,bin}} if it has them. */
    public static TextModelParts read(Path dir) throws IOException {
        BertAdapters adapters = Files.isRegularFile(dir.resolve(FineTuneCommand.ADAPTERS + ".json"))
                ? BertAdapters.of(TensorFile.read(dir, FineTuneCommand.ADAPTERS)) : null;
        return checked(new TextModelParts(HeadParameters.read(dir), adapters, dir.toString()));
    }

    /** From class-path resources, e.g. {@code "org/mafstream/model/heads/twitter2017-text"}. */
    public static TextModelParts readResource(ClassLoader loader, String resourceDir) throws IOException {
        String prefix = resourceDir.endsWith("/") ? resourceDir : resourceDir + "/";
        HeadParameters.FileOpener files = name -> loader.getResourceAsStream(prefix + name);
        BertAdapters adapters = loader.getResource(prefix + FineTuneCommand.ADAPTERS + ".json") == null ? null
                : BertAdapters.of(TensorFile.read(files, FineTuneCommand.ADAPTERS, "class path " + prefix));
        return checked(new TextModelParts(HeadParameters.readResource(loader, resourceDir), adapters, "classpath:" + resourceDir));
    }

    /** The fine-tuner records the adapters' hash in the heads: a mix of two runs is refused. */
    private static TextModelParts checked(TextModelParts parts) throws IOException {
        String recorded = parts.heads().training().path(FineTuneCommand.ADAPTERS + "Sha256").asText(null);
        if (parts.adapters() == null) {
            if (recorded != null) {
                throw new IOException(parts.source() + ": the heads were fine-tuned with adapters (sha256 " + recorded
                        + ") but there is no " + FineTuneCommand.ADAPTERS + ".json beside them");
            }
        } else if (!parts.adapters().file().sha256().equals(recorded)) {
            throw new IOException(parts.source() + ": " + FineTuneCommand.ADAPTERS + ".bin has sha256 "
                    + parts.adapters().file().sha256() + " but the heads were trained with " + recorded);
        }
        return parts;
    }

    /** One checksum for everything trained: it names the assembled bundle. */
    public String sha256() {
        return adapters == null ? heads.sha256() : Sha256.of((heads.sha256() + adapters.file().sha256()).getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The committed files, with their sizes and hashes, for the bundle's manifest. */
    public List<BundleManifest.SourceFile> sources() {
        List<BundleManifest.SourceFile> sources = new ArrayList<>();
        sources.add(new BundleManifest.SourceFile(source + "/" + HeadParameters.BINARY, heads.binaryBytes(), heads.sha256()));
        if (adapters != null) {
            sources.add(new BundleManifest.SourceFile(source + "/" + FineTuneCommand.ADAPTERS + ".bin",
                    adapters.file().binary().length, adapters.file().sha256()));
        }
        return sources;
    }
}
