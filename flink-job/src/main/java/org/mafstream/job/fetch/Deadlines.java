package org.mafstream.job.fetch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A thread that ends what ran out of time: a fetch's hard deadline, independent of the HTTP
 * client's own timeouts and of its threads. Jetty's I/O threads can be kept busy by a server (an
 * endless stream of {@code 102 Processing} keeps them parsing), and then Jetty's timeouts fire late
 * or their aborts are never processed. Deadline tasks must be short and must not block: they
 * complete futures. Aborting an exchange can block (on a lock its busy I/O thread holds), so
 * that goes to {@link #cleanUp}'s own thread, where a slow abort delays only other aborts; and
 * closing connections to {@link #closeSoon}'s, so that a blocked abort delays no close.
 */
final class Deadlines implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService cleaner;
    private final ExecutorService closer;

    Deadlines() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "image-fetch-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // most deadlines are cancelled: the fetch ended in time
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        cleaner = daemonThread("image-fetch-abort");
        closer = daemonThread("image-fetch-close");
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} soon, on a thread of its own; for work that may block, such as aborting an exchange. */
    void cleanUp(Runnable task) {
        runOn(cleaner, task);
    }

    /** Runs {@code task} soon on the thread that closes connections, which no abort can hold up. */
    void closeSoon(Runnable task) {
        runOn(closer, task);
    }

    private static void runOn(ExecutorService thread, Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closed) {
            // closing the client aborts and closes everything anyway
        }
    }

    /** Runs {@code task} at {@code deadlineNanos} ({@link System#nanoTime()}); cancel the result if it is not needed. */
    Future<?> at(long deadlineNanos, Runnable task) {
        try {
            return timer.schedule(task, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(null); // closing completes everything anyway
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        cleaner.shutdown();
        closer.shutdown();
    }
}
