package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread's work for one CPU: it pins itself, runs the CPU's queue, waits when the queue is
 * empty and exits once it has waited for the idle timeout.
 *
 * <p>The thread factory is user code: its thread may run this more than once, late or never. The
 * first of the worker's own start and the core thread's {@link #abandon()} wins, so exactly one of
 * them owns the reservation the worker was created under.
 */
final class Worker extends Handoff.Waiter implements Runnable {

    private static final int NEW = 0;

    private static final int STARTED = 1;

    private static final int ABANDONED = 2;

    final CpuSlot slot;

    final ThreadRecord record;

    /** Tasks run since the worker last waited for work; its own thread only. */
    int tasksSinceIdle;

    private final AtomicInteger state = new AtomicInteger(NEW);

    Worker(CpuSlot slot, String name) {
        this.slot = slot;
        this.record = new ThreadRecord(name);
    }

    @Override
    public void run() {
        if (state.compareAndSet(NEW, STARTED)) {
            slot.runWorker(this);
        }
    }

    /** @return whether some thread has begun to run the worker, or the core thread gave up on it */
    boolean settled() {
        return state.get() != NEW;
    }

    /**
     * Gives up on a worker whose thread has not started it: if it starts later, it does nothing.
     * @return whether the worker had not started, so that the caller now owns its reservation
     */
    boolean abandon() {
        return state.compareAndSet(NEW, ABANDONED);
    }
}
