package io.lazyworkqueue;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A task waiting on its workqueue's timers to be queued on its CPU. Recurring work is one such
 * task that, after each run, asks its {@link Recurrence} when the next is due and puts itself
 * back in its timers, so that exactly one firing of it is pending, queued or running at a time.
 */
final class DelayedWork extends FutureTask<Void> implements ScheduledFuture<Void> {

    /** The {@link #heapIndex} of a task that is in no timer queue. */
    static final int NOT_QUEUED = -1;

    private static final AtomicLong sequencer = new AtomicLong();

    /** The CPU it was scheduled on, which its rejections count on. */
    final CpuSlot slot;

    /** Whether each firing goes to the CPU the workqueue's selection picks then, not to {@link #slot}. */
    final boolean followsSelection;

    /** Changes only while the task is in no timer queue, when recurring work re-arms or is rescheduled. */
    volatile long deadlineNanos;

    /** How the work recurs, and its runs so far; {@code null} if it runs once. */
    final @Nullable RecurringTask recurring;

    /** What ended the task with an exception: what a run threw, or why it could not re-arm. */
    private @Nullable Throwable failure;

    private final long sequence = sequencer.getAndIncrement();

    private final Timers timers;

    /** Where the task is in its {@link TimerQueue}; guarded by the lock of its {@link Timers}. */
    int heapIndex = NOT_QUEUED;

    /** A task that runs once, on the CPU picked when it was scheduled. */
    DelayedWork(Runnable task, CpuSlot slot, long deadlineNanos, Timers timers) {
        this(Executors.callable(task, null), null, slot, false, deadlineNanos, timers);
    }

    /**
     * Recurring work.
     * @param followsSelection whether each firing goes to the CPU the selection picks then
     * @param deadlineNanos when the first run is due
     */
    DelayedWork(RecurringTask recurring, CpuSlot slot, boolean followsSelection, long deadlineNanos, Timers timers) {
        this(recurring, recurring, slot, followsSelection, deadlineNanos, timers);
    }

    private DelayedWork(Callable<@Nullable Void> callable, @Nullable RecurringTask recurring, CpuSlot slot,
            boolean followsSelection, long deadlineNanos, Timers timers) {
        super(callable);
        this.recurring = recurring;
        this.slot = slot;
        this.followsSelection = followsSelection;
        this.deadlineNanos = deadlineNanos;
        this.timers = timers;
    }

    /**
     * Runs the task; recurring work then re-arms for its next run. A recurring run that throws,
     * unless its recurrence goes on after it, or a recurrence that throws, ends the schedule with
     * that exception, which is rethrown so that the CPU counts it as failed and the thread's uncaught-exception handler reports
     * it: nobody may ever read the future of a schedule that is meant to run forever.
     */
    @Override
    public void run() {
        if (isDone()) {
            return;
        }
        WorkqueueClock clock = timers.clock();
        long due = deadlineNanos;
        long start = clock.nanoTime();
        RecurringTask recurring = this.recurring;
        if (recurring == null) {
            super.run();
            timers.ran(start - due, clock.nanoTime() - start, failure != null);
            return;
        }
        recurring.started(start - due);
        boolean goesOn = runAndReset();
        long end = clock.nanoTime();
        timers.ran(start - due, end - start, recurring.lastFailed());
        if (goesOn) {
            rearm(recurring, new ScheduledRun(due, start, end));
        }
        else if (failure != null) {
            throw rethrown(failure);
        }
    }

    /** Puts the work back for the run its recurrence asks for next, or ends the schedule. */
    private void rearm(RecurringTask recurring, ScheduledRun last) {
        OptionalLong next;
        try {
            next = recurring.recurrence.next(last, last.endNanos());
        }
        catch (Throwable thrown) {
            setException(thrown);
            throw rethrown(thrown);
        }
        if (next.isEmpty()) {
            end();
            return;
        }
        try {
            if (!timers.rearm(this, Timers.deadline(next.getAsLong(), last.endNanos()))) {
                // The workqueue shut down during the run: its schedules end, as pending ones do.
                cancel(false);
            }
        }
        catch (RejectedExecutionException ex) {
            // No manager can fire the next run: the schedule ends, and says why.
            setException(ex);
        }
    }

    /** Ends recurring work whose recurrence gives no further run: its future completes. */
    void end() {
        set(null);
    }

    /** @return whether these timers hold it */
    boolean scheduledBy(Timers owner) {
        return timers == owner;
    }

    @Override
    protected void setException(Throwable thrown) {
        failure = thrown;
        super.setException(thrown);
    }

    @Override
    protected void done() {
        if (recurring != null) {
            timers.ended(this);
        }
    }

    static RuntimeException rethrown(Throwable thrown) {
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

    /** Orders schedules as they were made. */
    long sequence() {
        return sequence;
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
