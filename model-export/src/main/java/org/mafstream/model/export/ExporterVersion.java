package org.mafstream.model.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this exporter, from the build (written into every manifest). */
final class ExporterVersion {
    private ExporterVersion() {}

    static String get() {
        try (InputStream in = ExporterVersion.class.getResourceAsStream("/model-export.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return "maf-stream model-export " + p.getProperty("version", "dev");
        } catch (IOException e) {
            return "maf-stream model-export dev";
        }
    }
}
