package org.mafstream.model.testing;

import java.nio.file.Path;

/** Where {@code ../shared} is: beside the checkout, as in CI (surefire sets shared.dir). */
public final class Fixtures {
    private Fixtures() {}

    public static Path shared() {
        return Path.of(System.getProperty("shared.dir", "../../shared")).toAbsolutePath().normalize();
    }

    public static Path mafTiny() {
        return shared().resolve("fixtures/maf-tiny");
    }
}
