package org.mafstream.model.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mafstream.model.bundle.Sha256;

/** testdata/ is exactly what its SHA256SUMS lists: every file present, unchanged, none unlisted, none over 5 MB. */
class TestdataTest {
    private static final Path ROOT = Fixtures.testdata();

    @Test
    void everyFileMatchesItsListedSha256AndNoneIsUnlisted() throws Exception {
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("SHA256SUMS"))) {
            listed.put(line.substring(66), line.substring(0, 64)); // "<64 hex>  <path>"
        }
        assertThat(listed).hasSizeGreaterThan(20);
        for (Map.Entry<String, String> file : listed.entrySet()) {
            assertThat(Sha256.of(ROOT.resolve(file.getKey()))).as(file.getKey()).isEqualTo(file.getValue());
        }
        List<String> present;
        try (Stream<Path> files = Files.walk(ROOT)) {
            present = files.filter(Files::isRegularFile).map(p -> ROOT.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("SHA256SUMS") && !p.equals("README.md")).toList();
        }
        assertThat(present).containsExactlyInAnyOrderElementsOf(listed.keySet());
        for (String file : present) {
            assertThat(Files.size(ROOT.resolve(file))).as(file).isLessThan(5L << 20);
        }
    }

    @Test
    void theHeldOutSplitIsNotHere() {
        assertThat(ROOT.resolve("data/twitter2015")).isDirectoryNotContaining("glob:**/test*");
    }
}
