package io.lazyworkqueue;

import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A task waiting on its workqueue's timers to be queued on its CPU. */
final class DelayedWork extends FutureTask<Void> implements ScheduledFuture<Void> {

    /** The {@link #heapIndex} of a task that is in no timer queue. */
    static final int NOT_QUEUED = -1;

    private static final AtomicLong sequencer = new AtomicLong();

    final CpuSlot slot;

    final long deadlineNanos;

    private final long sequence = sequencer.getAndIncrement();

    private final Timers timers;

    /** Where the task is in its {@link TimerQueue}; guarded by the lock of its {@link Timers}. */
    int heapIndex = NOT_QUEUED;

    DelayedWork(Runnable task, CpuSlot slot, long deadlineNanos, Timers timers) {
        super(task, null);
        this.slot = slot;
        this.deadlineNanos = deadlineNanos;
        this.timers = timers;
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
