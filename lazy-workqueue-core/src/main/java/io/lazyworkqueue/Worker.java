package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A thread's work for one CPU's pool: it pins itself, runs the tasks of every workqueue the pool
 * serves, waits when there are none and exits once it has waited for the idle timeout.
 *
 * <p>The thread factory is user code: its thread may run this more than once, late or never. The
 * first of the worker's own start and the spawner's {@link #abandon()} wins, so exactly one of
 * them owns the reservation the worker was created under.
 */
final class Worker extends Handoff.Waiter implements Runnable {

    private static final int NEW = 0;

    private static final int STARTED = 1;

    private static final int ABANDONED = 2;

    final WorkerPool pool;

    /** The worker's number in its pool, the end of its thread name. */
    final int number;

    final ThreadRecord record;

    /** Tasks run since the worker last waited for work; its own thread only. */
    int tasksSinceIdle;

    /**
     * The workqueue CPU whose task the worker runs or ran last. Its thread changes it, and
     * {@code shutdownNow()} reads it, only while holding the worker's monitor, so that an
     * interrupt meant for one workqueue's task never reaches another's.
     */
    private @Nullable CpuSlot serving;

    /** Tasks started so far; the manager tells a worker stuck in one task from a busy one by it. */
    volatile long tasksStarted;

    /** Whether the worker is inside a task now. */
    volatile boolean busy;

    /** What the manager saw at its last look: {@link StuckWorkers} only, on the manager thread. */
    long lookedAtTask = -1;

    long lookedAtCpuNanos;

    long lookedAtNanos;

    boolean blockedAtLastLook;

    private final AtomicInteger state = new AtomicInteger(NEW);

    Worker(WorkerPool pool, int number, String name) {
        this.pool = pool;
        this.number = number;
        this.record = new ThreadRecord(name);
    }

    @Override
    public void run() {
        if (state.compareAndSet(NEW, STARTED)) {
            pool.runWorker(this);
        }
    }

    /** @return whether some thread has begun to run the worker, or its spawner gave up on it */
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

    /** @return whether the worker's last task came from this workqueue CPU; its own thread only */
    boolean serves(CpuSlot slot) {
        return serving == slot;
    }

    /**
     * Turns the worker to another workqueue's tasks: its thread takes that workqueue's name, and
     * an interrupt left for the last workqueue's task is cleared. Its own thread only.
     */
    synchronized void turnTo(CpuSlot slot) {
        serving = slot;
        Thread.interrupted();
    }

    /** Interrupts the worker's thread if it runs a task of this workqueue CPU, for {@code shutdownNow()}. */
    synchronized void interruptIfServing(CpuSlot slot) {
        Thread current = thread;
        if (serving == slot && busy && current != null) {
            current.interrupt();
        }
    }
}
