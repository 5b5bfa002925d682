package org.mafstream.model.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A first-order optimiser over float32 parameter blocks it updates in place ({@link AdamW},
 * {@link BertAdam}), so a trainer can take either. Its whole state saves and restores, so a run
 * resumed from a checkpoint takes exactly the steps an uninterrupted run takes.
 */
public interface Optimiser {
    /**
     * One update with {@code gradients}, in the parameters' order and sizes; the arrays are read,
     * not modified.
     *
     * @return the L2 norm of all the gradients together, before any clipping
     */
    double step(List<float[]> gradients);

    /** The number of {@link #step} calls taken, restored ones included. */
    int steps();

    /**
     * The learning rate of step number {@code step}, counted from 1 (the first {@link #step}
     * call), so {@code learningRateAt(steps())} after a step is the rate it just applied.
     */
    double learningRateAt(int step);

    /** Writes the step count, the parameters and the optimiser's state to {@code file}, atomically. */
    void save(Path file) throws IOException;

    /**
     * Loads what {@link #save} wrote into this optimiser's parameter blocks and state; the blocks
     * must match by name and size, else an {@link IOException} and nothing is changed.
     */
    void restore(Path file) throws IOException;
}
