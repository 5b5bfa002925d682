package org.mafstream.job.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic micro-batching in front of a model: callers submit single items and get a future; a
 * worker closes a batch when it holds {@code maxBatchSize} items or when its oldest item has
 * waited {@code maxDelay}, whichever comes first, and runs it. Every future completes exactly
 * once: with its output, with a failure, or with {@link BatcherClosedException} if the batcher
 * shuts down first.
 *
 * <p>Failures are isolated and classified: a failed batch is re-run item by item, so one bad
 * item fails no other; an item that also fails alone is checked against a known-good probe
 * input of its key. If the probe runs, the item itself is at fault ({@link InputRejectedException});
 * if the probe fails too, the model is ({@link ModelFailedException}). Without a probe an item
 * that fails alone gets the model's own exception.
 *
 * <p>Back-pressure: the queue is bounded; {@link #submit} blocks while it is full, which in a
 * Flink async operator stalls the task and so propagates upstream.
 *
 * <p>Items may carry a batch key (e.g. the sequence length a text pads to): a batch then holds
 * items of one key only ({@link KeyedBatchQueue} says which key goes next).
 *
 * @param <W> per-worker state created on the worker thread (e.g. a DJL predictor)
 */
public final class MicroBatcher<W extends AutoCloseable, I, O> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    /** How long an idle worker waits before looking at {@code closed} again. */
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String name;
    private final int maxBatchSize;
    private final long maxDelayNanos;
    private final KeyedBatchQueue<Pending<I, O>> queue;
    private final ToIntFunction<I> batchKey;
    private final BatchFunction<W, I, O> function;
    private final BatchListener listener;
    private final IntFunction<I> probe;
    private final List<Thread> workers = new ArrayList<>();
    /** When each worker's current model call started (System.nanoTime), or 0 while it waits. */
    private final AtomicLongArray callStartedNanos;
    private volatile boolean closed;

    private record Pending<I, O>(I input, CompletableFuture<O> future, long enqueuedNanos) {}

    public MicroBatcher(String name, int maxBatchSize, Duration maxDelay, int queueCapacity, int workerCount,
                        Supplier<W> workerState, BatchFunction<W, I, O> function, BatchListener listener) {
        this(name, maxBatchSize, maxDelay, queueCapacity, workerCount, workerState, function, listener, input -> 0, null);
    }

    /** @param batchKey items batched together must have equal keys */
    public MicroBatcher(String name, int maxBatchSize, Duration maxDelay, int queueCapacity, int workerCount,
                        Supplier<W> workerState, BatchFunction<W, I, O> function, BatchListener listener,
                        ToIntFunction<I> batchKey) {
        this(name, maxBatchSize, maxDelay, queueCapacity, workerCount, workerState, function, listener, batchKey, null);
    }

    /**
     * @param batchKey items batched together must have equal keys
     * @param probe a known-good input for a key, run when an item fails alone to tell a bad item
     *     from a broken model; null: no such check
     */
    public MicroBatcher(String name, int maxBatchSize, Duration maxDelay, int queueCapacity, int workerCount,
                        Supplier<W> workerState, BatchFunction<W, I, O> function, BatchListener listener,
                        ToIntFunction<I> batchKey, IntFunction<I> probe) {
        if (maxBatchSize < 1 || queueCapacity < 1 || workerCount < 1) {
            throw new IllegalArgumentException("maxBatchSize, queueCapacity and workerCount must be >= 1");
        }
        this.name = name;
        this.maxBatchSize = maxBatchSize;
        this.maxDelayNanos = maxDelay.toNanos();
        this.queue = new KeyedBatchQueue<>(queueCapacity, Pending::enqueuedNanos);
        this.batchKey = batchKey;
        this.function = function;
        this.listener = listener;
        this.probe = probe;
        this.callStartedNanos = new AtomicLongArray(workerCount);
        for (int i = 0; i < workerCount; i++) {
            int index = i;
            Thread worker = new Thread(() -> runWorker(index, workerState), name + "-batcher-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** Queues {@code input}; blocks while the queue is full. */
    public CompletableFuture<O> submit(I input) throws InterruptedException {
        CompletableFuture<O> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new BatcherClosedException(name + " is closed"));
            return future;
        }
        Pending<I, O> pending = new Pending<>(input, future, System.nanoTime());
        int key = batchKey.applyAsInt(input);
        while (!queue.offer(pending, key, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                future.completeExceptionally(new BatcherClosedException(name + " closed while waiting for queue space"));
                return future;
            }
        }
        if (closed && queue.remove(pending)) {
            // Raced with close(): nobody will drain it now.
            future.completeExceptionally(new BatcherClosedException(name + " is closed"));
        }
        return future;
    }

    /**
     * How long the longest model call now running has taken; 0 when none runs. A call that never
     * returns (a hung device, a deadlock in native code) shows here, as nothing else would.
     */
    public long longestRunningCallNanos() {
        long now = System.nanoTime();
        long longest = 0;
        for (int i = 0; i < callStartedNanos.length(); i++) {
            long started = callStartedNanos.get(i);
            if (started != 0) {
                longest = Math.max(longest, now - started);
            }
        }
        return longest;
    }

    private void runWorker(int index, Supplier<W> workerState) {
        try (W state = workerState.get()) {
            while (true) {
                List<Pending<I, O>> batch = queue.takeBatch(maxBatchSize, maxDelayNanos, IDLE_POLL_NANOS);
                if (batch.isEmpty()) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                run(index, state, batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Without its worker state (e.g. the model failed to load) this batcher cannot run
            // anything: refuse new work and fail what is queued rather than let it hang.
            LOG.error("{}: worker state could not be created or closed", name, e);
            closed = true;
            failAll(e);
        }
    }

    private void run(int worker, W state, List<Pending<I, O>> batch) {
        long queueWait = System.nanoTime() - batch.get(0).enqueuedNanos();
        List<I> inputs = new ArrayList<>(batch.size());
        for (Pending<I, O> p : batch) {
            inputs.add(p.input());
        }
        Call<O> call = call(worker, state, inputs, queueWait);
        if (call.failure() == null) {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).future().complete(call.outputs().get(i));
            }
            return;
        }
        if (call.failure() instanceof BatchSizeMismatchException) {
            // A broken batch function, not a bad item: fail loudly, re-running alone would hide it.
            batch.forEach(pending -> pending.future().completeExceptionally(call.failure()));
            return;
        }
        if (batch.size() == 1) {
            failAlone(worker, state, batch.get(0), call.failure());
            return;
        }
        // One bad item must not fail its neighbours: each runs again on its own.
        for (Pending<I, O> pending : batch) {
            Call<O> alone = call(worker, state, List.of(pending.input()), 0);
            if (alone.failure() == null) {
                pending.future().complete(alone.outputs().get(0));
            } else {
                failAlone(worker, state, pending, alone.failure());
            }
        }
    }

    /** An item that failed on its own: the probe of its key says whose fault it is. */
    private void failAlone(int worker, W state, Pending<I, O> pending, Throwable failure) {
        if (probe == null) {
            pending.future().completeExceptionally(failure);
            return;
        }
        Call<O> probed = call(worker, state, List.of(probe.apply(batchKey.applyAsInt(pending.input()))), 0);
        if (probed.failure() == null) {
            pending.future().completeExceptionally(
                    new InputRejectedException(name + " fails on this input alone while its probe runs", failure));
        } else {
            pending.future().completeExceptionally(
                    new ModelFailedException(name + " fails on this input and on its known-good probe", failure));
        }
    }

    private record Call<O>(List<O> outputs, Throwable failure) {}

    private Call<O> call(int worker, W state, List<I> inputs, long queueWait) {
        long start = System.nanoTime();
        callStartedNanos.set(worker, start);
        List<O> outputs = null;
        Throwable failure = null;
        try {
            outputs = function.apply(state, inputs);
            if (outputs == null || outputs.size() != inputs.size()) {
                throw new BatchSizeMismatchException(name, inputs.size(), outputs == null ? -1 : outputs.size());
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            callStartedNanos.set(worker, 0);
        }
        // Metrics first, so whoever sees a future complete also sees its batch counted.
        listener.onBatch(inputs.size(), queueWait, System.nanoTime() - start, failure != null);
        return new Call<>(outputs, failure);
    }

    /**
     * Stops accepting work, lets the workers finish what is queued for up to {@code drainTimeout},
     * then fails whatever is left.
     */
    public void close(Duration drainTimeout) {
        closed = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failAll(new BatcherClosedException(name + " closed before this item ran"));
        // A worker still inside a batch is interrupted: that batch fails, its state is closed.
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void failAll(Throwable cause) {
        for (Pending<I, O> p : queue.drain()) {
            p.future().completeExceptionally(cause);
        }
    }
}
