package org.mafstream.job.bench;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Result;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * The machine's practical float32 peak: one TensorFlow MatMul of BERT's widest shape
 * ([1024, 768] · [768, 3072], a batch of 8 × 128 positions through the intermediate layer), the
 * yardstick every model figure of the benchmark is a fraction of.
 */
public final class MatMulPeak {
    private static final int ROWS = 1024;
    private static final int INNER = 768;
    private static final int COLUMNS = 3072;

    private MatMulPeak() {}

    /**
     * The best GFLOP/s of {@code rounds} rounds of {@code repeats} products each (after one
     * warm-up): a peak is what the machine can do, so a round slowed by a neighbour does not count.
     */
    static double gflops(int rounds, int repeats) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> a = tf.variable(tf.random.randomStandardNormal(tf.constant(new int[] {ROWS, INNER}), TFloat32.class,
                    RandomStandardNormal.seed(1L)));
            Operand<TFloat32> b = tf.variable(tf.random.randomStandardNormal(tf.constant(new int[] {INNER, COLUMNS}), TFloat32.class,
                    RandomStandardNormal.seed(2L)));
            // Reduce to a scalar so that fetching the result costs nothing next to the product.
            Operand<TFloat32> product = tf.reduceSum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
            session.initialize();
            run(session, product);
            double best = 0;
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < repeats; i++) {
                    run(session, product);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                best = Math.max(best, repeats * 2.0 * ROWS * INNER * COLUMNS / seconds / 1e9);
            }
            return best;
        }
    }

    private static void run(Session session, Operand<TFloat32> product) {
        try (Result ignored = session.runner().fetch(product).run()) {
            // only the time matters
        }
    }
}
