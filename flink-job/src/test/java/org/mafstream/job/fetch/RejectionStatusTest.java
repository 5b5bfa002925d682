package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mafstream.image.ImageRejection;
import org.mafstream.schemas.ImageStatus;

/** Each reason the image module refuses bytes is written as one value of the output's ImageStatus. */
class RejectionStatusTest {

    @Test
    void reasonsMapToTheSchemasImageStatus() {
        assertThat(RejectionStatus.of(ImageRejection.TOO_LARGE)).isEqualTo(ImageStatus.TOO_LARGE);
        assertThat(RejectionStatus.of(ImageRejection.UNSUPPORTED_TYPE)).isEqualTo(ImageStatus.UNSUPPORTED_TYPE);
        assertThat(RejectionStatus.of(ImageRejection.DECODE_FAILED)).isEqualTo(ImageStatus.DECODE_FAILED);
        assertThat(RejectionStatus.of(ImageRejection.OUT_OF_TIME)).isEqualTo(ImageStatus.TIMEOUT);
    }

    @Test
    void noTwoReasonsShareAStatus() {
        assertThat(Arrays.stream(ImageRejection.values()).map(RejectionStatus::of).distinct())
                .hasSize(ImageRejection.values().length);
    }
}
