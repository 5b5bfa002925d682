package org.mafstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The golden fixture beside the checkout: {@code shared.dir} (set by the pom), else ../../shared. */
final class SharedFixtures {
    private SharedFixtures() {
    }

    static Path mafTiny() {
        Path dir = Path.of(System.getProperty("shared.dir", "../../shared"), "fixtures", "maf-tiny")
                .toAbsolutePath().normalize();
        assertThat(dir).as("MAF fixture directory (set -Dshared.dir=<dir holding fixtures/>)").isDirectory();
        return dir;
    }

    static Path mafTiny(String file) {
        Path path = mafTiny().resolve(file);
        assertThat(Files.isRegularFile(path)).as("fixture file %s", path).isTrue();
        return path;
    }
}
