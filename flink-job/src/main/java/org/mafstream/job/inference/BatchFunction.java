package org.mafstream.job.inference;

import java.util.List;

/**
 * Runs one batch: must return exactly one output per input, in order. Called on a batcher
 * worker thread; {@code worker} is that thread's own state (for instance its DJL predictor).
 */
@FunctionalInterface
public interface BatchFunction<W, I, O> {
    List<O> apply(W worker, List<I> inputs) throws Exception;
}
