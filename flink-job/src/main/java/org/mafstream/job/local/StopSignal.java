package org.mafstream.job.local;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * What ends a long-running tool: Ctrl-C (SIGINT) or SIGTERM, or {@link #stop()} in tests. The
 * signals are caught rather than left to the JVM's shutdown so that the tool closes everything
 * in order and exits 0; a second signal while it does exits at once (130).
 */
public final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);

    /** Only {@link #stop()} ends the wait. */
    static StopSignal manual() {
        return new StopSignal();
    }

    /** SIGINT and SIGTERM end the wait. */
    public static StopSignal onInterruptOrTerminate() {
        StopSignal signal = new StopSignal();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), caught -> signal.onSignal());
            } catch (IllegalArgumentException notOnThisPlatform) {
                // the JVM's default stays: shutdown hooks still close what was started
            }
        }
        return signal;
    }

    void stop() {
        requested.countDown();
    }

    boolean stopRequested() {
        return requested.getCount() == 0;
    }

    void await() throws InterruptedException {
        requested.await();
    }

    private void onSignal() {
        if (stopRequested()) {
            Runtime.getRuntime().halt(130); // asked twice: the user does not want to wait
        }
        stop();
    }
}
