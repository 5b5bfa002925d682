package org.mafstream.job.inference;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One loaded bundle per JVM and settings, shared by every operator instance in the TaskManager:
 * engine start-up and model load take seconds and the weights hundreds of MB, so they must not
 * happen per subtask. Reference counted; the last lease to close unloads it.
 */
public final class SharedBundles {
    private static final Map<InferenceSettings, Entry> LOADED = new HashMap<>();

    private static final class Entry {
        final MafRuntime runtime;
        int leases;

        Entry(MafRuntime runtime) {
            this.runtime = runtime;
        }
    }

    private SharedBundles() {}

    /** The runtime for {@code settings}, loading it on first use. Close the lease when done. */
    public static synchronized Lease acquire(InferenceSettings settings) throws IOException {
        Entry entry = LOADED.get(settings);
        if (entry == null) {
            entry = new Entry(MafRuntime.start(settings));
            LOADED.put(settings, entry);
        }
        entry.leases++;
        return new Lease(settings, entry.runtime);
    }

    /**
     * The last lease unloads the runtime, outside the lock (a subtask starting meanwhile loads a
     * fresh one rather than wait) and without draining: nobody is left to receive what is queued.
     */
    private static void release(InferenceSettings settings) {
        MafRuntime unused = null;
        synchronized (SharedBundles.class) {
            Entry entry = LOADED.get(settings);
            if (entry != null && --entry.leases == 0) {
                LOADED.remove(settings);
                unused = entry.runtime;
            }
        }
        if (unused != null) {
            unused.close(Duration.ZERO);
        }
    }

    static synchronized int leases(InferenceSettings settings) {
        Entry entry = LOADED.get(settings);
        return entry == null ? 0 : entry.leases;
    }

    /** A use of a shared runtime; closing it twice releases it once. */
    public static final class Lease implements AutoCloseable {
        private final InferenceSettings settings;
        private final MafRuntime runtime;
        private boolean closed;

        private Lease(InferenceSettings settings, MafRuntime runtime) {
            this.settings = settings;
            this.runtime = runtime;
        }

        public MafRuntime runtime() {
            return runtime;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(settings);
            }
        }
    }
}
