package org.mafstream.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The mean gradient of a minibatch, sentences spread over threads. Each sentence writes its own
 * buffer and the buffers are summed in batch order, so the result does not depend on the number
 * of threads or on their timing.
 */
final class BatchGradients implements AutoCloseable {
    private final TextHead head;
    private final TextHead[] perSentence;
    private final TextHead sum;
    private final int threads;
    private final ExecutorService pool;
    private int lastBatchSize;

    BatchGradients(TextHead head, int batchSize, int threads) {
        this.head = head;
        this.perSentence = new TextHead[batchSize];
        for (int k = 0; k < batchSize; k++) {
            perSentence[k] = TextHead.zeros(head.numTags(), head.hidden());
        }
        this.sum = TextHead.zeros(head.numTags(), head.hidden());
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "head-trainer");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /** Computes the gradients of {@code sentences} of {@code data} at the head's current parameters; returns their NLL sum. */
    double compute(TaggedSentences data, int[] sentences) {
        double[] losses = new double[sentences.length];
        if (pool == null) {
            computeStride(data, sentences, losses, 0, 1);
        } else {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int first = w;
                tasks.add(pool.submit(() -> computeStride(data, sentences, losses, first, threads)));
            }
            for (Future<?> task : tasks) {
                await(task);
            }
        }
        double lossSum = 0;
        for (double loss : losses) {
            lossSum += loss;
        }
        lastBatchSize = sentences.length;
        return lossSum;
    }

    /** The mean of the last batch's gradients (a buffer reused by the next call). */
    TextHead mean() {
        sum.clear();
        for (int k = 0; k < lastBatchSize; k++) {
            sum.add(perSentence[k]);
        }
        sum.scale(1.0 / lastBatchSize);
        return sum;
    }

    private void computeStride(TaggedSentences data, int[] sentences, double[] losses, int first, int stride) {
        for (int k = first; k < sentences.length; k += stride) {
            perSentence[k].clear();
            int sentence = sentences[k];
            losses[k] = head.addGradient(data.features(), sentence, data.gold().get(sentence), perSentence[k]);
        }
    }

    private static void await(Future<?> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
