package org.mafstream.job.pipeline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.job.testing.TinyBundle;
import org.mafstream.model.bundle.BundleManifest;

/** The job refuses, at start, a bundle whose entity types the output schema cannot carry. */
class AnnotationRecordsTest {

    @Test
    void theTinyFixturesLabelsAreAllSupported() throws IOException {
        AnnotationRecords.requireSupportedLabels(BundleManifest.read(TinyBundle.path()));
    }

    @Test
    void anUnknownEntityTypeIsRefusedByName() throws IOException {
        BundleManifest manifest = BundleManifest.read(TinyBundle.path());
        BundleManifest withEvents = withLabels(manifest, List.of("PAD", "O", "B-PER", "I-PER", "B-EVENT", "I-EVENT", "X"));
        assertThatThrownBy(() -> AnnotationRecords.requireSupportedLabels(withEvents))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'EVENT'");
        // OTHER is reported as MISC, which the schema has
        AnnotationRecords.requireSupportedLabels(withLabels(manifest, List.of("PAD", "O", "B-OTHER", "I-OTHER", "[CLS]")));
    }

    private static BundleManifest withLabels(BundleManifest m, List<String> labels) {
        return new BundleManifest(m.formatVersion(), m.name(), m.version(), m.trained(), m.description(), labels,
                m.maxSeqLength(), m.doLowerCase(), m.vocab(), m.text(), m.image(), m.crf(), m.sources(), m.exporterVersion());
    }
}
