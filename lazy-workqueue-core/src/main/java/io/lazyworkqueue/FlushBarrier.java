package io.lazyworkqueue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * Lets {@code flush()} wait for the work queued before it and not for work queued after it, as
 * the kernel's flush colours do. Every task is counted, per CPU, in the generation that was
 * current when it was queued; a flush opens a new generation and waits for the old one to empty.
 * Flushes that arrive while another waits share the next generation switch and its wait.
 */
final class FlushBarrier {

    private final List<AtomicLongArray> counters;

    /** Guards the switch counts; never held while anyone waits for tasks. */
    private final ReentrantLock lock = new ReentrantLock();

    /** Signalled whenever {@link #drained} grows or the watcher steps down. */
    private final Condition progress = lock.newCondition();

    private volatile int current;

    /** How many times the generation has switched; written under the lock. */
    private volatile long switches;

    /**
     * How many switches have had their old generation seen empty; guarded by the lock. Either
     * {@link #switches} or one less: the generation only switches again once the last switch
     * has drained, so the old generation holds nothing from before the switch before.
     */
    private long drained;

    /** The one flushing thread that watches the counters and that {@link #exit} unparks. */
    private volatile @Nullable Thread watcher;

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
            Thread waiting = watcher;
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
        // Any switch after the one read here happens after the call began, so once it drains,
        // everything queued before the call has finished: the tasks of the current generation
        // through it, older ones because a switch waits for the switch before it to drain.
        long needed = switches + 1;
        lock.lockInterruptibly();
        try {
            while (drained < needed) {
                if (watcher == null) {
                    if (!watch(needed, deadline, timeoutNanos)) {
                        return false;
                    }
                }
                else if (timeoutNanos == Long.MAX_VALUE) {
                    progress.await();
                }
                else {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    progress.awaitNanos(remaining);
                }
            }
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Switches generations and waits for each switch to drain, on behalf of every waiting
     * flush, until {@code needed} switches have drained. Called and returns with the lock held.
     * @return whether that happened in time; if not, a later flush takes over the wait
     */
    private boolean watch(long needed, long deadline, long timeoutNanos) throws InterruptedException {
        watcher = Thread.currentThread();
        try {
            while (drained < needed) {
                if (drained == switches) {
                    // Counted first: a flush that still reads the old count must have begun
                    // before the switch, so none of its tasks are in the new generation.
                    switches++;
                    current = 1 - current;
                }
                // Read after publishing the watcher and the switch, so that the exit that
                // empties the old generation either is seen here or sees both and unparks.
                if (isEmpty(1 - current)) {
                    drained = switches;
                    progress.signalAll();
                    continue;
                }
                if (!parkOutsideLock(deadline, timeoutNanos)) {
                    return false;
                }
            }
            return true;
        }
        finally {
            watcher = null;
            // Another flush may need more switches than this one, or have to take over.
            progress.signalAll();
        }
    }

    /** @return false if the deadline has passed */
    private boolean parkOutsideLock(long deadline, long timeoutNanos) throws InterruptedException {
        long remaining = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        lock.unlock();
        try {
            if (remaining == Long.MAX_VALUE) {
                LockSupport.park(this);
            }
            else {
                LockSupport.parkNanos(this, remaining);
            }
        }
        finally {
            lock.lock();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
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
