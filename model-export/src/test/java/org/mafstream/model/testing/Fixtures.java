package org.mafstream.model.testing;

import java.nio.file.Path;

/**
 * The project's test data, {@code testdata/} at the repository root (surefire sets
 * {@code testdata.dir}; a module's tests otherwise find it one level up): the golden fixtures
 * and the Twitter text. See testdata/README.md for where each file came from.
 */
public final class Fixtures {
    private Fixtures() {}

    public static Path testdata() {
        return Path.of(System.getProperty("testdata.dir", "../testdata")).toAbsolutePath().normalize();
    }

    public static Path mafTiny() {
        return testdata().resolve("fixtures/maf-tiny");
    }

    /** A Twitter MNER CoNLL file, e.g. {@code data("twitter2017/test.txt")}. */
    public static Path data(String file) {
        return testdata().resolve("data").resolve(file);
    }
}
