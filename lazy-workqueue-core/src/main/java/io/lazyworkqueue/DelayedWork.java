package io.lazyworkqueue;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A task waiting on its workqueue's timers to be queued on its CPU. Periodic work is one such
 * task that, after each run, puts itself back in its timers for the next, so that exactly one
 * firing of it is pending, queued or running at a time.
 */
final class DelayedWork extends FutureTask<Void> implements ScheduledFuture<Void> {

    /** The {@link #heapIndex} of a task that is in no timer queue. */
    static final int NOT_QUEUED = -1;

    private static final AtomicLong sequencer = new AtomicLong();

    /** The CPU it was scheduled on, which its rejections count on. */
    final CpuSlot slot;

    /** Whether each firing goes to the CPU the workqueue's selection picks then, not to {@link #slot}. */
    final boolean followsSelection;

    /** Changes only while the task is in no timer queue, when periodic work re-arms. */
    volatile long deadlineNanos;

    private final @Nullable Period period;

    /** What ended the schedule with an exception: what a run threw, or why it could not re-arm. */
    private @Nullable Throwable failure;

    private final long sequence = sequencer.getAndIncrement();

    private final Timers timers;

    /** Where the task is in its {@link TimerQueue}; guarded by the lock of its {@link Timers}. */
    int heapIndex = NOT_QUEUED;

    /** A task that runs once, on the CPU picked when it was scheduled. */
    DelayedWork(Runnable task, CpuSlot slot, long deadlineNanos, Timers timers) {
        this(task, slot, false, deadlineNanos, null, timers);
    }

    /**
     * @param followsSelection whether each firing goes to the CPU the selection picks then
     * @param period how the task repeats, {@code null} if it runs once
     */
    DelayedWork(Runnable task, CpuSlot slot, boolean followsSelection, long deadlineNanos,
            @Nullable Period period, Timers timers) {
        super(task, null);
        this.slot = slot;
        this.followsSelection = followsSelection;
        this.deadlineNanos = deadlineNanos;
        this.period = period;
        this.timers = timers;
    }

    /**
     * Runs the task; periodic work then re-arms for its next run. A periodic run that throws
     * ends the schedule with that exception and rethrows it, so that the CPU counts it as failed
     * and the thread's uncaught-exception handler reports it: nobody may ever read the future of
     * a schedule that is meant to run forever.
     */
    @Override
    public void run() {
        Period repeat = period;
        if (repeat == null) {
            super.run();
        }
        else if (runAndReset()) {
            rearm(repeat.nextDeadline(deadlineNanos, timers.clock().nanoTime()));
        }
        else if (failure != null) {
            throw rethrown(failure);
        }
    }

    private void rearm(long nextDeadlineNanos) {
        try {
            if (!timers.rearm(this, nextDeadlineNanos)) {
                // The workqueue shut down during the run: its schedules end, as pending ones do.
                cancel(false);
            }
        }
        catch (RejectedExecutionException ex) {
            // No manager can fire the next run: the schedule ends, and says why.
            setException(ex);
        }
    }

    @Override
    protected void setException(Throwable thrown) {
        failure = thrown;
        super.setException(thrown);
    }

    private static RuntimeException rethrown(Throwable thrown) {
        if (thrown instanceof RuntimeException runtime) {
            return runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        return new UndeclaredThrowableException(thrown);
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadlineNanos - timers.clock().nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other instanceof DelayedWork work) {
            return work == this ? 0 : firesBefore(work) ? -1 : 1;
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    /**
     * Orders timers by deadline, and equal deadlines in scheduling order. Deadlines are compared
     * by their difference, so that any clock origin works, negative readings included.
     */
    boolean firesBefore(DelayedWork other) {
        long byDeadline = deadlineNanos - other.deadlineNanos;
        return byDeadline != 0 ? byDeadline < 0 : sequence < other.sequence;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            timers.remove(this);
        }
        return cancelled;
    }
}
