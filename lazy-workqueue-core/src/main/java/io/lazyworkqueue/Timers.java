package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A workqueue's delayed work that has not fired yet, and its recurring work until that ends. The
 * manager fires it; shutdown takes it.
 */
final class Timers {

    private final LazyWorkqueue owner;

    private final TimerQueue queue = new TimerQueue();

    /** Recurring work from scheduling until its future completes, pending, queued or running. */
    private final Set<DelayedWork> recurring = ConcurrentHashMap.newKeySet();

    private final ReentrantLock lock = new ReentrantLock();

    Timers(LazyWorkqueue owner) {
        this.owner = owner;
    }

    WorkqueueClock clock() {
        return owner.clock;
    }

    /**
     * Adds a delayed task, and makes sure the manager fires it.
     * @throws RejectedExecutionException if the workqueue has shut down, or no manager can serve
     */
    void schedule(DelayedWork work) {
        lock.lock();
        try {
            if (owner.isShutdown()) {
                throw work.slot.countRejected(owner.rejectedAfterShutdown());
            }
            queue.add(work);
            if (work.recurring != null) {
                recurring.add(work);
            }
        }
        finally {
            lock.unlock();
        }
        try {
            makeSureItFires(work);
        }
        catch (RejectedExecutionException ex) {
            recurring.remove(work);
            throw work.slot.countRejected(ex);
        }
    }

    /**
     * Puts periodic work back for its next run, on the thread that ran it.
     * @param deadlineNanos when the next run is due
     * @return {@code false} if the workqueue has shut down or the work was cancelled: it is not
     * pending then
     * @throws RejectedExecutionException if no manager can fire it; it is not pending then either
     */
    boolean rearm(DelayedWork work, long deadlineNanos) {
        lock.lock();
        try {
            // Under the lock: shutdown takes the timers after setting its state, and a cancel
            // removes the timer after setting the future's, so either this sees them or they
            // take the timer added here.
            if (owner.isShutdown() || work.isDone()) {
                return false;
            }
            work.deadlineNanos = deadlineNanos;
            queue.add(work);
        }
        finally {
            lock.unlock();
        }
        makeSureItFires(work);
        return true;
    }

    /**
     * Makes sure the manager fires a timer just added.
     * @throws RejectedExecutionException if no manager can serve and the timer was taken back; if
     * the manager fired it meanwhile, it is not taken back and nothing is thrown
     */
    private void makeSureItFires(DelayedWork work) {
        try {
            owner.manager.timerAdded(owner);
        }
        catch (RejectedExecutionException ex) {
            if (remove(work)) {
                throw ex;
            }
        }
    }

    /**
     * Moves a task that has not fired to a new deadline.
     * @return whether it was waiting here, and now waits for the new deadline; the manager then
     * looks again at what it waits for
     */
    boolean move(DelayedWork work, long deadlineNanos) {
        lock.lock();
        try {
            if (!queue.remove(work)) {
                return false;
            }
            work.deadlineNanos = deadlineNanos;
            queue.add(work);
        }
        finally {
            lock.unlock();
        }
        owner.manager.signal();
        return true;
    }

    /** Forgets recurring work whose schedule has ended. */
    void ended(DelayedWork work) {
        recurring.remove(work);
    }

    /** Tells the workqueue's listeners of a run of delayed work. */
    void ran(long startDelayNanos, long runNanos, boolean failed) {
        owner.scheduledRan(startDelayNanos, runNanos, failed);
    }

    /** @return the recurring work whose schedule has not ended, in the order it was scheduled */
    List<ScheduleSnapshot> schedules() {
        List<DelayedWork> live = new ArrayList<>(recurring);
        live.sort(Comparator.comparingLong(DelayedWork::sequence));
        List<ScheduleSnapshot> snapshots = new ArrayList<>(live.size());
        lock.lock();
        try {
            long now = owner.clock.nanoTime();
            for (DelayedWork work : live) {
                RecurringTask task = work.recurring;
                if (task == null || work.isDone()) {
                    continue;
                }
                long lastStartDelay = task.lastStartDelayNanos();
                snapshots.add(new ScheduleSnapshot(task.toString(), work.followsSelection ? -1 : work.slot.cpu,
                        work.heapIndex != DelayedWork.NOT_QUEUED ? Duration.ofNanos(work.deadlineNanos - now) : null,
                        task.count(), task.failures(), lastStartDelay >= 0 ? Duration.ofNanos(lastStartDelay) : null));
            }
        }
        finally {
            lock.unlock();
        }
        return snapshots;
    }

    /**
     * @param nextNanos when a recurrence says a run is due
     * @param nowNanos the clock's time now
     * @return that deadline, brought within {@link FixedPeriod#LONGEST_NANOS} of now either way, so
     * that deadlines compare by their difference
     */
    static long deadline(long nextNanos, long nowNanos) {
        long delay;
        try {
            delay = Math.subtractExact(nextNanos, nowNanos);
        }
        catch (ArithmeticException ex) {
            delay = nextNanos > nowNanos ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return nowNanos + Math.max(-FixedPeriod.LONGEST_NANOS, Math.min(delay, FixedPeriod.LONGEST_NANOS));
    }

    /** @return whether the task was still waiting; the manager then looks again at what it waits for */
    boolean remove(DelayedWork work) {
        boolean removed;
        lock.lock();
        try {
            removed = queue.remove(work);
        }
        finally {
            lock.unlock();
        }
        if (removed) {
            owner.manager.signal();
        }
        return removed;
    }

    int pending() {
        lock.lock();
        try {
            return queue.size();
        }
        finally {
            lock.unlock();
        }
    }

    /** Takes every delayed task that has not fired, for shutdown; the manager then looks again. */
    List<DelayedWork> removeAll() {
        List<DelayedWork> pending;
        lock.lock();
        try {
            pending = new ArrayList<>(queue.size());
            queue.drainTo(pending);
        }
        finally {
            lock.unlock();
        }
        if (!pending.isEmpty()) {
            owner.manager.signal();
        }
        return pending;
    }

    /**
     * Queues the tasks whose delay has passed, on the manager thread.
     * @return how long until the next timer is due, or {@link Long#MAX_VALUE} if none waits
     */
    long fireDue() {
        lock.lock();
        try {
            long now = owner.clock.nanoTime();
            // Queued under the lock and only before shutdown: shutdown takes the timers after
            // setting its state, so each delayed task is either queued before shutdown (and
            // drained or handed back) or cancelled by it.
            for (DelayedWork next = queue.peek(); next != null && !owner.isShutdown(); next = queue.peek()) {
                if (next.deadlineNanos - now > 0) {
                    return next.deadlineNanos - now;
                }
                queue.poll();
                try {
                    CpuSlot target = next.followsSelection ? owner.selectSlot() : next.slot;
                    target.enqueueAccepted(next);
                }
                catch (Throwable ex) {
                    // Neither a timer nor queued any more: its future must not wait forever.
                    next.cancel(false);
                    throw ex;
                }
            }
            return Long.MAX_VALUE;
        }
        finally {
            lock.unlock();
        }
    }
}
