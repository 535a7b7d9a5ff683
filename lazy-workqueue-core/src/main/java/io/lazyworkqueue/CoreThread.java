package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The workqueue's one long-lived thread, started with the first task and pinned to the core CPU.
 * It creates workers when asked, runs a CPU's work itself when a worker cannot be created, fires
 * delayed work, and declares the workqueue terminated once shutdown has drained every CPU.
 *
 * <p>The core thread is made with a plain {@link Thread}, not the workqueue's thread factory: it
 * is the thread that rescues work when the factory fails.
 */
final class CoreThread implements Runnable {

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    /** The watchdog looks at most this often, however small its threshold. */
    private static final long MIN_WATCHDOG_PERIOD_NANOS = Duration.ofMillis(10).toNanos();

    /** A wait with no deadline, as {@link WorkqueueClock#parkUntil} takes it. */
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final LazyWorkqueue owner;

    private final ThreadFactory threadFactory;

    private final ConcurrentLinkedQueue<CpuSlot> spawnRequests = new ConcurrentLinkedQueue<>();

    private final TimerQueue timers = new TimerQueue();

    private final ReentrantLock timerLock = new ReentrantLock();

    private final Object startLock = new Object();

    /** The core thread, set only once it has started, and never unset. */
    private volatile @Nullable Thread thread;

    /** What killed the core thread, if something did. */
    private volatile @Nullable Throwable failure;

    private final ThreadRecord record;

    /** Workers started whose thread has not run them yet: core thread only. */
    private final List<PendingStart> pendingStarts = new ArrayList<>();

    /** Whether the stall watchdog has a look due, and when: core thread only. */
    private boolean watchdogArmed;

    private long watchdogDueNanos;

    CoreThread(LazyWorkqueue owner, ThreadFactory threadFactory) {
        this.owner = owner;
        this.threadFactory = threadFactory;
        this.record = new ThreadRecord(owner.config.threadNamePrefix() + "core");
    }

    String name() {
        return record.name;
    }

    WorkqueueClock clock() {
        return owner.clock;
    }

    /**
     * Starts the core thread if it is not running yet. A submitter returns from here only once
     * the thread has really started, so no task is queued for a core thread that never runs.
     * @throws RejectedExecutionException if the workqueue has shut down or the thread cannot start
     */
    void ensureStarted() {
        if (thread != null) {
            return;
        }
        synchronized (startLock) {
            if (thread != null) {
                return;
            }
            if (owner.isShutdown()) {
                throw owner.rejectedAfterShutdown();
            }
            try {
                Thread core = new Thread(this, record.name);
                core.setDaemon(true);
                core.start();
                thread = core;
            }
            catch (Throwable ex) {
                throw new RejectedExecutionException("Workqueue '" + owner.config.name()
                        + "' could not start its core thread: " + ex, ex);
            }
        }
    }

    /**
     * Terminates a workqueue whose core thread never started: no task was ever queued.
     * @return whether it did
     */
    boolean terminateIfNeverStarted() {
        synchronized (startLock) {
            if (thread != null) {
                return false;
            }
            owner.terminated();
            return true;
        }
    }

    /** @return what killed the core thread, or {@code null} while it serves or ended normally */
    @Nullable Throwable failure() {
        return failure;
    }

    /** Interrupts the core thread, which runs a CPU's tasks as fallback, for shutdownNow(). */
    void interrupt() {
        Thread core = thread;
        if (core != null) {
            core.interrupt();
        }
    }

    /**
     * Tells the core thread that something changed: a request, a timer, an exit after shutdown.
     * Without a core thread, the caller checks for termination itself.
     */
    void signal() {
        Thread core = thread;
        if (failure != null) {
            owner.tryTerminate();
        }
        else if (core != null) {
            LockSupport.unpark(core);
        }
    }

    void requestSpawn(CpuSlot slot) {
        // Before the request: once it is queued, nothing here may throw.
        owner.reportStuckCore();
        spawnRequests.offer(slot);
        // Offer, then read: a core thread that dies meanwhile drains the requests after setting
        // its failure, so each request is released by exactly one of the two.
        if (failure != null && spawnRequests.remove(slot)) {
            slot.cancelSpawn();
        }
        signal();
    }

    /**
     * Adds a delayed task to the timers.
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    void schedule(DelayedWork work) {
        timerLock.lock();
        try {
            if (owner.isShutdown()) {
                throw work.slot.countRejected(owner.rejectedAfterShutdown());
            }
            timers.add(work);
            if (timers.peek() != work) {
                return;
            }
        }
        finally {
            timerLock.unlock();
        }
        signal();
    }

    void removeTimer(DelayedWork work) {
        timerLock.lock();
        try {
            timers.remove(work);
        }
        finally {
            timerLock.unlock();
        }
    }

    int scheduled() {
        timerLock.lock();
        try {
            return timers.size();
        }
        finally {
            timerLock.unlock();
        }
    }

    /** Takes every delayed task that has not fired, for shutdown. */
    List<DelayedWork> removeTimers() {
        timerLock.lock();
        try {
            List<DelayedWork> pending = new ArrayList<>(timers.size());
            timers.drainTo(pending);
            return pending;
        }
        finally {
            timerLock.unlock();
        }
    }

    @Nullable ThreadSnapshot snapshot(Timebase timebase) {
        return running() ? record.snapshot(timebase) : null;
    }

    /** @return whether the core thread has started and has neither died nor ended */
    boolean running() {
        return thread != null && failure == null && !owner.isTerminated();
    }

    @Override
    public void run() {
        try {
            record.started(owner.clock);
            LazyWorkqueue.CURRENT.set(owner);
            record.pinnedCpu = owner.pin(owner.config.coreCpu(), record.name);
            serve();
        }
        catch (Throwable ex) {
            // User callbacks are guarded where they are called; this is the clock, or an Error.
            died(ex);
        }
    }

    private void serve() {
        for (;;) {
            // Interrupts are not how the core thread is told anything; one left by a fallback
            // task must not turn its waits into spins.
            Thread.interrupted();
            int requests = owner.slotCount();
            CpuSlot slot;
            while (requests-- > 0 && (slot = spawnRequests.poll()) != null) {
                spawn(slot);
            }
            long now = owner.clock.nanoTime();
            long wait = Math.min(fireDueTimers(), Math.min(settlePendingStarts(now), watchdog(now)));
            if (owner.isShutdown() && spawnRequests.isEmpty() && owner.tryTerminate()) {
                return;
            }
            if (spawnRequests.isEmpty()) {
                record.lastActiveNanos = now;
                owner.clock.parkUntil(this, wait == Long.MAX_VALUE ? NO_DEADLINE : now + wait);
            }
        }
    }

    private void spawn(CpuSlot slot) {
        if (owner.isStopped()) {
            slot.cancelSpawn();
            return;
        }
        Worker worker = null;
        String why;
        Throwable error = null;
        try {
            long now = owner.clock.nanoTime();
            if (slot.coolingDown(now)) {
                why = "a worker could not be created moments ago";
            }
            else {
                worker = slot.newWorker();
                Thread created = threadFactory.newThread(worker);
                if (created == null) {
                    throw new IllegalStateException("thread factory " + threadFactory + " returned no thread");
                }
                created.setName(worker.record.name);
                created.start();
                pendingStarts.add(new PendingStart(slot, worker, now + owner.spawnRetryNanos));
                return;
            }
        }
        catch (Throwable ex) {
            // The factory failed, or the JVM could not create a native thread: the work still
            // runs. A factory may have started the thread itself, and that thread may already
            // run the worker, which then holds the reservation.
            if (worker != null && !worker.abandon()) {
                return;
            }
            why = "the worker could not be created";
            error = ex;
        }
        fallBack(slot, worker != null ? worker.record.name : record.name, error, why);
    }

    /** Runs a CPU's work on the core thread, which releases the reservation whatever is thrown. */
    private void fallBack(CpuSlot slot, String threadName, @Nullable Object failure, String why) {
        try {
            if (failure != null) {
                slot.spawnFailed(threadName, failure);
            }
        }
        finally {
            slot.runFallback(record, why);
        }
    }

    /**
     * Gives up on started threads that have not run their worker within the spawn retry delay,
     * as on a failed creation: a factory's thread may run something else, or nothing.
     * @return how long until the next of them is due, or {@link Long#MAX_VALUE} if none is pending
     */
    private long settlePendingStarts(long now) {
        long wait = Long.MAX_VALUE;
        for (Iterator<PendingStart> starts = pendingStarts.iterator(); starts.hasNext();) {
            PendingStart start = starts.next();
            if (start.worker().settled()) {
                starts.remove();
            }
            else if (now - start.deadlineNanos() >= 0) {
                starts.remove();
                if (start.worker().abandon()) {
                    fallBack(start.slot(), start.worker().record.name, "its thread did not run the worker within "
                            + owner.config.spawnRetryDelay(), "the worker's thread did not run it");
                }
            }
            else {
                wait = Math.min(wait, start.deadlineNanos() - now);
            }
        }
        return wait;
    }

    /**
     * Runs the stall watchdog when its check is due. It checks four times per threshold, at most
     * every 10 ms, while any CPU has a worker or queued work, and sleeps with the workqueue
     * otherwise: the next worker the core thread starts wakes it again.
     * @return how long until the next check, or {@link Long#MAX_VALUE} if nothing needs watching
     */
    private long watchdog(long now) {
        if (owner.watchdogNanos == 0) {
            return Long.MAX_VALUE;
        }
        if (watchdogArmed && now - watchdogDueNanos < 0) {
            return watchdogDueNanos - now;
        }
        watchdogArmed = owner.watchForStalls(now);
        if (!watchdogArmed) {
            return Long.MAX_VALUE;
        }
        long period = Math.max(owner.watchdogNanos / 4, MIN_WATCHDOG_PERIOD_NANOS);
        watchdogDueNanos = now + period;
        return period;
    }

    /**
     * The core thread is ending on an error it cannot serve past. Without it no worker starts, no
     * timer fires and no one declares termination, so the workqueue says so and stops: queued
     * work is handed back (and futures among it cancelled), running tasks finish, and the last
     * thread out terminates the workqueue.
     */
    private void died(Throwable error) {
        try {
            logger.log(System.Logger.Level.ERROR, "Workqueue '" + owner.config.name() + "' lost its core thread;"
                    + " it stops accepting work and hands back its queued tasks", error);
            owner.events.record(owner.config.coreCpu(), WorkqueueEventType.CORE_FAILED, record.name,
                    String.valueOf(error));
        }
        finally {
            // Set after the event, so whoever sees the failure sees the event too; requests
            // offered before this are drained below.
            failure = error;
            CpuSlot slot;
            while ((slot = spawnRequests.poll()) != null) {
                slot.cancelSpawn();
            }
            for (PendingStart start : pendingStarts) {
                if (start.worker().abandon()) {
                    start.slot().cancelSpawn();
                }
            }
            pendingStarts.clear();
            owner.coreDied();
        }
    }

    /** @return how long until the next timer is due, or {@link Long#MAX_VALUE} if none waits */
    private long fireDueTimers() {
        timerLock.lock();
        try {
            long now = owner.clock.nanoTime();
            // Queued under the timer lock and only before shutdown: shutdown takes the timers
            // after setting its state, so each delayed task is either queued before shutdown
            // (and drained or handed back) or cancelled by it.
            for (DelayedWork next = timers.peek(); next != null && !owner.isShutdown(); next = timers.peek()) {
                if (next.deadlineNanos - now > 0) {
                    return next.deadlineNanos - now;
                }
                timers.poll();
                try {
                    next.slot.enqueueAccepted(next);
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
            timerLock.unlock();
        }
    }

    /** A worker whose thread has started but not yet run it, and when to give up on it. */
    private record PendingStart(CpuSlot slot, Worker worker, long deadlineNanos) {
    }
}
