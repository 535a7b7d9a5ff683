package io.lazyworkqueue;

import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A task waiting on the core thread's timers to be queued on its CPU. */
final class DelayedWork extends FutureTask<Void> implements ScheduledFuture<Void> {

    private static final AtomicLong sequencer = new AtomicLong();

    final CpuSlot slot;

    final long deadlineNanos;

    private final long sequence = sequencer.getAndIncrement();

    private final CoreThread core;

    DelayedWork(Runnable task, CpuSlot slot, long deadlineNanos, CoreThread core) {
        super(task, null);
        this.slot = slot;
        this.deadlineNanos = deadlineNanos;
        this.core = core;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadlineNanos - core.clock().nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other instanceof DelayedWork work) {
            int byDeadline = Long.compare(deadlineNanos - work.deadlineNanos, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, work.sequence);
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            core.removeTimer(this);
        }
        return cancelled;
    }
}
