package org.mafstream.job.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic micro-batching in front of a model: callers submit single items and get a future; a
 * worker closes a batch when it holds {@code maxBatchSize} items or when its oldest item has
 * waited {@code maxDelay}, whichever comes first, and runs it. Every future completes exactly
 * once: with its output, with the batch's failure (which fails only that batch), or with
 * {@link BatcherClosedException} if the batcher shuts down first.
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
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    private record Pending<I, O>(I input, CompletableFuture<O> future, long enqueuedNanos) {}

    public MicroBatcher(String name, int maxBatchSize, Duration maxDelay, int queueCapacity, int workerCount,
                        Supplier<W> workerState, BatchFunction<W, I, O> function, BatchListener listener) {
        this(name, maxBatchSize, maxDelay, queueCapacity, workerCount, workerState, function, listener, input -> 0);
    }

    /** @param batchKey items batched together must have equal keys */
    public MicroBatcher(String name, int maxBatchSize, Duration maxDelay, int queueCapacity, int workerCount,
                        Supplier<W> workerState, BatchFunction<W, I, O> function, BatchListener listener,
                        ToIntFunction<I> batchKey) {
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
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(() -> runWorker(workerState), name + "-batcher-" + i);
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

    private void runWorker(Supplier<W> workerState) {
        try (W state = workerState.get()) {
            while (true) {
                List<Pending<I, O>> batch = queue.takeBatch(maxBatchSize, maxDelayNanos, IDLE_POLL_NANOS);
                if (batch.isEmpty()) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                run(state, batch);
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

    private void run(W state, List<Pending<I, O>> batch) {
        long start = System.nanoTime();
        long queueWait = start - batch.get(0).enqueuedNanos();
        List<I> inputs = new ArrayList<>(batch.size());
        for (Pending<I, O> p : batch) {
            inputs.add(p.input());
        }
        List<O> outputs = null;
        Throwable failure = null;
        try {
            outputs = function.apply(state, inputs);
            if (outputs == null || outputs.size() != batch.size()) {
                throw new BatchSizeMismatchException(name, batch.size(), outputs == null ? -1 : outputs.size());
            }
        } catch (Throwable t) {
            failure = t;
        }
        // Metrics first, so whoever sees a future complete also sees its batch counted.
        listener.onBatch(batch.size(), queueWait, System.nanoTime() - start, failure != null);
        for (int i = 0; i < batch.size(); i++) {
            if (failure == null) {
                batch.get(i).future().complete(outputs.get(i));
            } else {
                batch.get(i).future().completeExceptionally(failure);
            }
        }
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
