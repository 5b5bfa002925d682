package org.mafstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mafstream.model.testing.Fixtures;

/** The golden fixture in testdata/, checked to be there. */
final class TinyFixture {
    private TinyFixture() {
    }

    static Path mafTiny() {
        Path dir = Fixtures.mafTiny();
        assertThat(dir).as("MAF fixture directory (set -Dtestdata.dir=<dir holding fixtures/>)").isDirectory();
        return dir;
    }

    static Path mafTiny(String file) {
        Path path = mafTiny().resolve(file);
        assertThat(Files.isRegularFile(path)).as("fixture file %s", path).isTrue();
        return path;
    }
}
