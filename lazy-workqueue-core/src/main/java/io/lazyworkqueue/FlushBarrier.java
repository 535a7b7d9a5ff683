package io.lazyworkqueue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * Lets {@code flush()} wait for the work queued before it and not for work queued after it, as
 * the kernel's flush colours do. Every task is counted, per CPU, in the generation that was
 * current when it was queued; a flush opens a new generation and waits for the old one to empty.
 */
final class FlushBarrier {

    private final List<AtomicLongArray> counters;

    private final ReentrantLock flushLock = new ReentrantLock();

    private volatile int current;

    private volatile @Nullable Thread flusher;

    /**
     * @param counters one two-slot array per CPU: tasks queued or running, per generation
     */
    FlushBarrier(List<AtomicLongArray> counters) {
        this.counters = counters;
    }

    /**
     * Counts a task that is about to be queued.
     * @param counter its CPU's counters
     * @return the generation to pass to {@link #exit}
     */
    int enter(AtomicLongArray counter) {
        for (;;) {
            int generation = current;
            counter.incrementAndGet(generation);
            // A flush that opened a new generation meanwhile may already have seen this one
            // empty; the task then belongs to the new generation.
            if (current == generation) {
                return generation;
            }
            exit(counter, generation);
        }
    }

    /**
     * Stops counting a task that has finished, was retracted or was handed back.
     * @param counter its CPU's counters
     * @param generation what {@link #enter} returned
     */
    void exit(AtomicLongArray counter, int generation) {
        if (counter.decrementAndGet(generation) == 0 && current != generation) {
            Thread waiting = flusher;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /**
     * Waits until everything queued before the call has finished.
     * @param timeoutNanos how long to wait at most; {@link Long#MAX_VALUE} for no limit
     * @return whether it all finished in time
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    boolean flush(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(timeoutNanos, Long.MAX_VALUE / 2);
        if (!flushLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            flusher = Thread.currentThread();
            int generation = current;
            // An earlier flush that timed out may have left tasks in the other generation: they
            // too were queued before this call.
            if (!awaitEmpty(1 - generation, deadline, timeoutNanos)) {
                return false;
            }
            current = 1 - generation;
            return awaitEmpty(generation, deadline, timeoutNanos);
        }
        finally {
            flusher = null;
            flushLock.unlock();
        }
    }

    private boolean awaitEmpty(int generation, long deadline, long timeoutNanos) throws InterruptedException {
        while (!isEmpty(generation)) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (timeoutNanos == Long.MAX_VALUE) {
                LockSupport.park(this);
            }
            else {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, remaining);
            }
        }
        return true;
    }

    private boolean isEmpty(int generation) {
        for (AtomicLongArray counter : counters) {
            if (counter.get(generation) != 0) {
                return false;
            }
        }
        return true;
    }
}
