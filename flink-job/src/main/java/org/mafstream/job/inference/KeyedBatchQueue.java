package org.mafstream.job.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * A bounded queue that hands out batches of items with the same key (for the text model: the
 * sequence length a text pads to, so a batch of short tweets is not run at the length of one long
 * one). The next batch is the oldest item's key once it holds {@code maxSize} items or that item's
 * deadline has passed, so no key starves; until then, any key that already holds a full batch.
 *
 * @param <E> queued items
 */
final class KeyedBatchQueue<E> {
    private final int capacity;
    private final ToLongFunction<E> enqueuedNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Map<Integer, ArrayDeque<E>> byKey = new LinkedHashMap<>();
    private int size;

    KeyedBatchQueue(int capacity, ToLongFunction<E> enqueuedNanos) {
        this.capacity = capacity;
        this.enqueuedNanos = enqueuedNanos;
    }

    /** Adds {@code item} under {@code key}, waiting up to {@code timeout} for space; false if there was none. */
    boolean offer(E item, int key, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (size >= capacity) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            byKey.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(item);
            size++;
            notEmpty.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next batch: up to {@code maxSize} items of the oldest item's key, taken once there are
     * {@code maxSize} of them or {@code maxDelayNanos} after the oldest was enqueued. Empty if
     * nothing arrived within {@code idleNanos}.
     */
    List<E> takeBatch(int maxSize, long maxDelayNanos, long idleNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long idleUntil = System.nanoTime() + idleNanos;
            while (true) {
                // Re-checked after every wait: another worker may have taken what was there.
                if (size == 0) {
                    long idle = idleUntil - System.nanoTime();
                    if (idle <= 0) {
                        return List.of();
                    }
                    notEmpty.awaitNanos(idle);
                    continue;
                }
                ArrayDeque<E> oldest = oldestDeque();
                long wait = enqueuedNanos.applyAsLong(oldest.peekFirst()) + maxDelayNanos - System.nanoTime();
                if (oldest.size() >= maxSize || wait <= 0) {
                    return take(oldest, maxSize);
                }
                ArrayDeque<E> full = fullDeque(maxSize);
                if (full != null) {
                    return take(full, maxSize);
                }
                notEmpty.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code item} if it is still queued. */
    boolean remove(E item) {
        lock.lock();
        try {
            for (ArrayDeque<E> deque : byKey.values()) {
                if (deque.remove(item)) {
                    size--;
                    notFull.signalAll();
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns everything queued. */
    List<E> drain() {
        lock.lock();
        try {
            List<E> all = new ArrayList<>(size);
            byKey.values().forEach(all::addAll);
            byKey.clear();
            size = 0;
            notFull.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    private ArrayDeque<E> oldestDeque() {
        ArrayDeque<E> oldest = null;
        for (ArrayDeque<E> deque : byKey.values()) {
            if (!deque.isEmpty() && (oldest == null
                    || enqueuedNanos.applyAsLong(deque.peekFirst()) - enqueuedNanos.applyAsLong(oldest.peekFirst()) < 0)) {
                oldest = deque;
            }
        }
        return oldest;
    }

    private ArrayDeque<E> fullDeque(int maxSize) {
        for (ArrayDeque<E> deque : byKey.values()) {
            if (deque.size() >= maxSize) {
                return deque;
            }
        }
        return null;
    }

    private List<E> take(ArrayDeque<E> deque, int maxSize) {
        List<E> batch = new ArrayList<>(Math.min(maxSize, deque.size()));
        while (batch.size() < maxSize && !deque.isEmpty()) {
            batch.add(deque.pollFirst());
        }
        size -= batch.size();
        notFull.signalAll();
        return batch;
    }
}
