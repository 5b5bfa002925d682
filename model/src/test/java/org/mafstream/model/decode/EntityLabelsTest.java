package org.mafstream.model.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntityLabelsTest {

    @Test
    void onlyBAndITagsNameEntities() {
        for (String label : List.of("PAD", "O", "X", "[CLS]", "[SEP]", "B-", "I-", "E-PER", "BPER")) {
            assertThat(EntityLabels.isEntityTag(label)).as(label).isFalse();
            assertThat(EntityLabels.entityType(label)).as(label).isEmpty();
        }
        assertThat(EntityLabels.entityType("B-PER")).contains("PER");
        assertThat(EntityLabels.entityType("I-LOC")).contains("LOC");
    }

    @Test
    void twitter2015sOtherIsReportedAsMisc() {
        assertThat(EntityLabels.entityType("B-OTHER")).contains("MISC");
        // MAF's label list (both datasets use it, with OTHER for 2015's miscellaneous)
        List<String> maf = List.of("PAD", "O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC",
                "X", "[CLS]", "[SEP]");
        assertThat(EntityLabels.entityTypes(maf)).containsExactly("MISC", "PER", "ORG", "LOC");
        assertThat(EntityLabels.entityTypes(List.of("O", "B-OTHER", "I-OTHER", "B-PER"))).containsExactly("MISC", "PER");
    }
}
