package io.lazyworkqueue;

import org.jspecify.annotations.Nullable;

/**
 * A thread's work for one CPU: it pins itself, runs the CPU's queue, waits when the queue is
 * empty and exits once it has waited for the idle timeout.
 */
final class Worker implements Runnable {

    final CpuSlot slot;

    final ThreadRecord record;

    /** Set under the slot's lock by a submitter that took this worker off the idle stack. */
    volatile boolean woken;

    volatile @Nullable Thread thread;

    /** Tasks run since the worker last waited for work; its own thread only. */
    int tasksSinceIdle;

    Worker(CpuSlot slot, String name) {
        this.slot = slot;
        this.record = new ThreadRecord(name);
    }

    @Override
    public void run() {
        slot.runWorker(this);
    }
}
