package org.mafstream.job.pipeline;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.mafstream.job.inference.BatcherClosedException;
import org.mafstream.job.inference.ModelFailedException;

/**
 * Whose fault a failed post is. Systemic: the model is broken (it fails its known-good probe
 * too), its batcher is closed, it hangs, the thread was interrupted, or the JVM is out of
 * resources; the task must fail and restart from its checkpoint. Anything else failed on this
 * post alone (the model refused it while its probe ran, or its text broke a step of ours), so
 * the post may be dead-lettered.
 */
final class Failures {
    private Failures() {}

    static boolean isSystemic(Throwable cause) {
        return cause instanceof ModelFailedException
                || cause instanceof BatcherClosedException
                || cause instanceof ModelStalledException
                || cause instanceof InterruptedException
                || cause instanceof Error;
    }

    /** The failure under the future's wrappers. */
    static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
