package org.mafstream.job.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
    /** Worker state that counts how many are open. */
    record Worker(AtomicInteger open) implements AutoCloseable {
        Worker {
            open.incrementAndGet();
        }

        @Override
        public void close() {
            open.decrementAndGet();
        }
    }

    private final AtomicInteger openWorkers = new AtomicInteger();

    private final Queue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
    private final List<MicroBatcher<Worker, Integer, Integer>> batchers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        batchers.forEach(b -> b.close(Duration.ofSeconds(5)));
    }

    private MicroBatcher<Worker, Integer, Integer> batcher(int maxBatch, Duration maxDelay, int capacity, int workers,
                                                           BatchFunction<Worker, Integer, Integer> function) {
        MicroBatcher<Worker, Integer, Integer> batcher = new MicroBatcher<>("test", maxBatch, maxDelay, capacity, workers,
                () -> new Worker(openWorkers), function, (size, wait, run, failed) -> batchSizes.add(size));
        batchers.add(batcher);
        return batcher;
    }

    private MicroBatcher<Worker, Integer, Integer> probed(int maxBatch, Duration maxDelay,
                                                          BatchFunction<Worker, Integer, Integer> function) {
        MicroBatcher<Worker, Integer, Integer> batcher = new MicroBatcher<>("probed", maxBatch, maxDelay, 64, 1,
                () -> new Worker(openWorkers), function, (size, wait, run, failed) -> batchSizes.add(size),
                x -> 0, key -> 1);
        batchers.add(batcher);
        return batcher;
    }

    private static List<Integer> doubled(Worker w, List<Integer> in) {
        return in.stream().map(x -> 2 * x).toList();
    }

    @Test
    void manyConcurrentSubmittersEachGetTheirOwnResult() throws Exception {
        MicroBatcher<Worker, Integer, Integer> batcher = batcher(16, Duration.ofMillis(5), 64, 2, MicroBatcherTest::doubled);
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CompletableFuture<Integer>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            submitted.add(pool.submit(() -> {
                List<CompletableFuture<Integer>> futures = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    futures.add(batcher.submit(base + i));
                }
                return futures;
            }));
        }
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<Integer>> futures = submitted.get(t).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
                assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(2 * (t * perThread + i));
            }
        }
        pool.shutdown();
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 16));
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).max().orElse(0)).as("some batching happened").isGreaterThan(1);
    }

    @Test
    void aLoneItemRunsAfterMaxDelayWithoutWaitingForAFullBatch() throws Exception {
        MicroBatcher<Worker, Integer, Integer> batcher = batcher(32, Duration.ofMillis(20), 64, 1, MicroBatcherTest::doubled);
        assertThat(batcher.submit(21).get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(batchSizes).containsExactly(1);
    }

    @Test
    void aFullBatchRunsWithoutWaitingForMaxDelay() throws Exception {
        MicroBatcher<Worker, Integer, Integer> batcher = batcher(4, Duration.ofMinutes(10), 64, 1, MicroBatcherTest::doubled);
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(batcher.submit(i));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(batchSizes).containsExactly(4);
    }

    @Test
    void aFailingBatchFailsOnlyItsOwnFutures() throws Exception {
        MicroBatcher<Worker, Integer, Integer> batcher = batcher(1, Duration.ofMillis(1), 64, 1, (w, in) -> {
            if (in.contains(13)) {
                throw new IllegalArgumentException("unlucky");
            }
            return doubled(w, in);
        });
        CompletableFuture<Integer> before = batcher.submit(1);
        CompletableFuture<Integer> bad = batcher.submit(13);
        CompletableFuture<Integer> after = batcher.submit(2);

        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("unlucky");
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(4);
    }

    @Test
    void aBadItemFailsAloneAndTheRestOfItsBatchSucceeds() throws Exception {
        MicroBatcher<Worker, Integer, Integer> batcher = probed(8, Duration.ofMillis(500), (w, in) -> {
            if (in.contains(13)) {
                throw new IllegalArgumentException("unlucky");
            }
            return doubled(w, in);
        });
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 10; i < 18; i++) {
            futures.add(batcher.submit(i));
        }
        for (int i = 0; i < futures.size(); i++) {
            CompletableFuture<Integer> future = futures.get(i);
            if (i == 3) {
                assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(InputRejectedException.class)
                        .hasRootCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("unlucky");
            } else {
                assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo(2 * (10 + i));
            }
        }
        // The batch of 8 failed, then each item ran alone, then the probe for the one that failed.
        assertThat(batchSizes).containsExactly(8, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void aModelThatFailsItsProbeTooIsReportedBrokenNotTheItem() throws Exception {
        MicroBatcher<Worker, Integer, Integer> batcher = probed(4, Duration.ofMillis(200), (w, in) -> {
            throw new IllegalStateException("device lost");
        });
        CompletableFuture<Integer> a = batcher.submit(1);
        CompletableFuture<Integer> b = batcher.submit(2);
        for (CompletableFuture<Integer> future : List.of(a, b)) {
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ModelFailedException.class)
                    .hasRootCauseMessage("device lost");
        }
    }

    @Test
    void aHungModelCallShowsAsAGrowingRunningCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MicroBatcher<Worker, Integer, Integer> batcher = batcher(1, Duration.ofMillis(1), 64, 1, (w, in) -> {
            release.await();
            return doubled(w, in);
        });
        assertThat(batcher.longestRunningCallNanos()).isZero();
        CompletableFuture<Integer> future = batcher.submit(1);
        Thread.sleep(300);
        assertThat(batcher.longestRunningCallNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        release.countDown();
        assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(batcher.longestRunningCallNanos()).isZero();
    }

    @Test
    void aBatchFunctionReturningTheWrongNumberOfOutputsFailsLoudly() throws Exception {
        MicroBatcher<Worker, Integer, Integer> batcher = batcher(8, Duration.ofMillis(1), 64, 1, (w, in) -> List.of(0));
        CompletableFuture<Integer> a = batcher.submit(1);
        CompletableFuture<Integer> b = batcher.submit(2);
        CompletableFuture.allOf(a, b).handle((r, e) -> null).get(10, TimeUnit.SECONDS);
        // With one item per batch the function happens to be right; with two it must not be.
        if (batchSizes.contains(2)) {
            assertThatThrownBy(() -> a.get()).hasCauseInstanceOf(BatchSizeMismatchException.class);
            assertThatThrownBy(() -> b.get()).hasCauseInstanceOf(BatchSizeMismatchException.class);
        }
        CompletableFuture<Integer> c = batcher.submit(3);
        CompletableFuture<Integer> d = batcher.submit(4);
        CompletableFuture<Integer> e = batcher.submit(5);
        CompletableFuture.allOf(c, d, e).handle((r, x) -> null).get(10, TimeUnit.SECONDS);
        long failed = java.util.stream.Stream.of(a, b, c, d, e).filter(CompletableFuture::isCompletedExceptionally).count();
        assertThat(failed).as("futures of multi-item batches fail").isGreaterThan(0);
    }

    @Test
    void closeFailsEverythingStillQueuedAndCompletesEveryFutureOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MicroBatcher<Worker, Integer, Integer> batcher = batcher(1, Duration.ofMillis(1), 64, 1, (w, in) -> {
            release.await();
            return doubled(w, in);
        });
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(batcher.submit(i));
        }
        batcher.close(Duration.ofMillis(200));
        release.countDown();

        for (CompletableFuture<Integer> future : futures) {
            future.handle((result, error) -> null).get(10, TimeUnit.SECONDS);
        }
        long closedFailures = futures.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertThat(closedFailures).as("queued items failed on close").isGreaterThanOrEqualTo(9);
        assertThat(batcher.submit(99)).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(BatcherClosedException.class);
        assertThat(openWorkers.get()).as("worker state closed").isZero();
    }

    @Test
    void submitBlocksWhileTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MicroBatcher<Worker, Integer, Integer> batcher = batcher(1, Duration.ofMillis(1), 2, 1, (w, in) -> {
            release.await();
            return doubled(w, in);
        });
        batcher.submit(1); // taken by the worker, blocked in the function
        Thread.sleep(100);
        batcher.submit(2);
        batcher.submit(3); // queue now full
        CompletableFuture<CompletableFuture<Integer>> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return batcher.submit(4);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(blocked).as("submit waits for queue space").isNotDone();
        release.countDown();
        assertThat(blocked.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isEqualTo(8);
    }

    @Test
    void keyedItemsAreBatchedOnlyWithTheirOwnKey() throws Exception {
        Queue<List<Integer>> batches = new ConcurrentLinkedQueue<>();
        MicroBatcher<Worker, Integer, Integer> batcher = new MicroBatcher<>("keyed", 4, Duration.ofMillis(200), 64, 1,
                () -> new Worker(openWorkers), (w, in) -> {
                    batches.add(List.copyOf(in));
                    return doubled(w, in);
                }, (size, wait, run, failed) -> { }, x -> x % 3);
        batchers.add(batcher);
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            futures.add(batcher.submit(i));
        }
        for (int i = 0; i < 12; i++) {
            assertThat(futures.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(2 * i);
        }
        // Four items per key arrived: each key fills exactly one batch of its own.
        assertThat(batches).hasSize(3);
        for (List<Integer> batch : batches) {
            assertThat(batch).hasSize(4).allMatch(x -> x % 3 == batch.get(0) % 3);
        }
    }

    @Test
    void theOldestKeyGoesFirstOnceItsDeadlinePasses() throws Exception {
        Queue<List<Integer>> batches = new ConcurrentLinkedQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        MicroBatcher<Worker, Integer, Integer> batcher = new MicroBatcher<>("keyed", 2, Duration.ofMillis(50), 64, 1,
                () -> new Worker(openWorkers), (w, in) -> {
                    release.await();
                    batches.add(List.copyOf(in));
                    return doubled(w, in);
                }, (size, wait, run, failed) -> { }, x -> x < 100 ? 0 : 1);
        batchers.add(batcher);
        // 0 and 1 fill key 0's first batch, which blocks the worker; then key 0 gets one more
        // item (2) while key 1 keeps filling. After 2's deadline, 2 runs before key 1's later batches.
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        futures.add(batcher.submit(0));
        futures.add(batcher.submit(1));
        Thread.sleep(20);
        futures.add(batcher.submit(2));
        for (int i = 100; i < 104; i++) {
            futures.add(batcher.submit(i));
        }
        Thread.sleep(100);
        release.countDown();
        for (CompletableFuture<Integer> future : futures) {
            future.get(5, TimeUnit.SECONDS);
        }
        assertThat(new ArrayList<>(batches)).containsExactly(List.of(0, 1), List.of(2), List.of(100, 101), List.of(102, 103));
    }
}
