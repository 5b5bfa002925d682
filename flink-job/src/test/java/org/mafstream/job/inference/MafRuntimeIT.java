package org.mafstream.job.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.job.testing.TinyBundle;
import org.mafstream.model.decode.ViterbiDecoder;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.testing.Layouts;
import org.mafstream.model.testing.Npz;

/** The runtime (DJL TensorFlow engine behind the micro-batchers) on the golden inputs of the original code. */
class MafRuntimeIT {
    private static final int B = 4;
    private static final int L = 128;
    private static Map<String, Npz.Array> golden;
    private static InferenceSettings settings;

    @BeforeAll
    static void load() throws Exception {
        golden = Npz.read(Fixtures.mafTiny().resolve("golden.npz"));
        settings = InferenceSettings.cpu(TinyBundle.path().toString()).withBatching(4, Duration.ofMillis(20));
    }

    @Test
    void imagesAndTextsThroughTheBatchersGiveTheOriginalsRegionsAndTags() throws Exception {
        try (SharedBundles.Lease lease = SharedBundles.acquire(settings)) {
            MafRuntime runtime = lease.runtime();
            float[] pixels = golden.get("pixel_values").floats();
            float[] goldenRegions = golden.get("img_att").floats();
            int channels = runtime.manifest().image().regionChannels();

            List<CompletableFuture<float[]>> regionFutures = new ArrayList<>();
            for (int b = 0; b < B; b++) {
                regionFutures.add(runtime.encodeImage(Layouts.nhwc(pixels, b, 3, 224 * 224)));
            }
            List<CompletableFuture<TextScores>> scoreFutures = new ArrayList<>();
            for (int b = 0; b < B; b++) {
                float[] regions = regionFutures.get(b).get(60, TimeUnit.SECONDS);
                assertThat(Comparison.maxRelativeError(regions, Layouts.nhwc(goldenRegions, b, channels, 49)))
                        .as("regions of image %d", b).isLessThan(1e-4);
                scoreFutures.add(runtime.scoreText(new TokenInput(row(golden.get("input_ids"), b),
                        row(golden.get("input_mask"), b), row(golden.get("segment_ids"), b)), regions));
            }
            ViterbiDecoder viterbi = new ViterbiDecoder(runtime.manifest().crf());
            int[] lengths = golden.get("lengths").ints();
            int[] tags = golden.get("tags").ints();
            float[] p = golden.get("P").floats();
            for (int b = 0; b < B; b++) {
                TextScores scores = scoreFutures.get(b).get(60, TimeUnit.SECONDS);
                assertThat(scores.retainScore()).as("P of example %d", b).isCloseTo(p[b], org.assertj.core.data.Offset.offset(1e-4f));
                assertThat(viterbi.decode(scores.emissions(), lengths[b])).as("tags of example %d", b)
                        .containsExactly(Arrays.copyOfRange(tags, b * L, b * L + lengths[b]));
            }
        }
        assertThat(SharedBundles.leases(settings)).isZero();
    }

    @Test
    void oneRuntimePerJvmSharedByLeasesAndClosedWithTheLast() throws Exception {
        SharedBundles.Lease first = SharedBundles.acquire(settings);
        SharedBundles.Lease second = SharedBundles.acquire(settings);
        assertThat(second.runtime()).isSameAs(first.runtime());
        assertThat(SharedBundles.leases(settings)).isEqualTo(2);
        first.close();
        first.close();
        assertThat(SharedBundles.leases(settings)).isEqualTo(1);
        second.close();
        assertThat(SharedBundles.leases(settings)).isZero();
        try (SharedBundles.Lease third = SharedBundles.acquire(settings)) {
            assertThat(third.runtime()).isNotSameAs(first.runtime());
        }
    }

    @Test
    void theLastLeaseUnloadsAtOnceFailingWhatIsQueuedAndHoldsUpNoNewLease() throws Exception {
        // A batch delay far beyond the test: the submitted text stays queued until the close.
        InferenceSettings slow = settings.withBatching(4, Duration.ofSeconds(20));
        SharedBundles.Lease lease = SharedBundles.acquire(slow);
        TokenInput tokens = lease.runtime().bundle().probeText(16);
        CompletableFuture<TextScores> queued = lease.runtime().scoreText(tokens, null);

        long start = System.nanoTime();
        lease.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closeMillis).as("close does not wait for the queue to drain").isLessThan(5_000);
        assertThat(queued).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(BatcherClosedException.class);
        assertThat(SharedBundles.leases(slow)).isZero();
    }

    @Test
    void aTextWithoutImageUsesTheNeutralRegions() throws Exception {
        try (SharedBundles.Lease lease = SharedBundles.acquire(settings)) {
            MafRuntime runtime = lease.runtime();
            TokenInput tokens = new TokenInput(row(golden.get("input_ids"), 0), row(golden.get("input_mask"), 0),
                    row(golden.get("segment_ids"), 0));
            TextScores withoutImage = runtime.scoreText(tokens, null).get(60, TimeUnit.SECONDS);
            TextScores withNeutral = runtime.scoreText(tokens, runtime.bundle().neutralRegions()).get(60, TimeUnit.SECONDS);
            assertThat(withoutImage.retainScore()).isEqualTo(withNeutral.retainScore());
            assertThat(withoutImage.row(3)).containsExactly(withNeutral.row(3));
        }
    }

    private static int[] row(Npz.Array array, int b) {
        return Arrays.copyOfRange(array.ints(), b * L, (b + 1) * L);
    }
}
