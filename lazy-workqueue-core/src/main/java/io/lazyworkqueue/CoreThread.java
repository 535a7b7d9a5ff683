package io.lazyworkqueue;

import java.util.ArrayList;
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

    private final LazyWorkqueue owner;

    private final ThreadFactory threadFactory;

    private final ConcurrentLinkedQueue<CpuSlot> spawnRequests = new ConcurrentLinkedQueue<>();

    private final TimerQueue timers = new TimerQueue();

    private final ReentrantLock timerLock = new ReentrantLock();

    private final Object startLock = new Object();

    private volatile @Nullable Thread thread;

    private final ThreadRecord record;

    /** When the stall watchdog looks next; {@link Long#MAX_VALUE} while nothing needs watching. */
    private long watchdogDueNanos = Long.MAX_VALUE;

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
     * Starts the core thread if it is not running yet.
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
            Thread core = new Thread(this, record.name);
            core.setDaemon(true);
            thread = core;
            try {
                core.start();
            }
            catch (Throwable ex) {
                thread = null;
                throw new RejectedExecutionException(
                        "Workqueue '" + owner.config.name() + "' could not start its core thread", ex);
            }
        }
    }

    /**
     * Terminates a workqueue whose core thread never started: there is nothing to drain.
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

    /** Interrupts the core thread, which runs a CPU's tasks as fallback, for shutdownNow(). */
    void interrupt() {
        Thread core = thread;
        if (core != null) {
            core.interrupt();
        }
    }

    void signal() {
        Thread core = thread;
        if (core != null) {
            LockSupport.unpark(core);
        }
    }

    void requestSpawn(CpuSlot slot) {
        spawnRequests.offer(slot);
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
        return thread != null && !owner.isTerminated() ? record.snapshot(timebase) : null;
    }

    @Override
    public void run() {
        record.started(owner.clock);
        record.pinnedCpu = owner.pin(owner.config.coreCpu(), record.name);
        LazyWorkqueue.CURRENT.set(owner);
        for (;;) {
            // Interrupts are not how the core thread is told anything; one left by a fallback
            // task must not turn its waits into spins.
            Thread.interrupted();
            int requests = owner.slotCount();
            CpuSlot slot;
            while (requests-- > 0 && (slot = spawnRequests.poll()) != null) {
                spawn(slot);
            }
            long wakeAt = Math.min(fireDueTimers(), watchdog());
            if (owner.isShutdown() && spawnRequests.isEmpty() && owner.tryTerminate()) {
                return;
            }
            if (spawnRequests.isEmpty()) {
                record.lastActiveNanos = owner.clock.nanoTime();
                owner.clock.parkUntil(this, wakeAt);
            }
        }
    }

    private void spawn(CpuSlot slot) {
        if (owner.isStopped()) {
            slot.cancelSpawn();
            return;
        }
        if (slot.coolingDown(owner.clock.nanoTime())) {
            slot.runFallback(record, "a worker could not be created moments ago");
            return;
        }
        Worker worker = slot.newWorker();
        try {
            Thread created = threadFactory.newThread(worker);
            if (created == null) {
                throw new IllegalStateException("thread factory " + threadFactory + " returned no thread");
            }
            created.setName(worker.record.name);
            created.start();
        }
        catch (Throwable ex) {
            // The factory failed, or the JVM could not create a native thread: the work still runs.
            slot.spawnFailed(worker, ex);
            slot.runFallback(record, "the worker could not be created");
        }
    }

    /**
     * Runs the stall watchdog when its check is due. It checks four times per threshold while any
     * CPU has a worker or queued work, and sleeps with the workqueue otherwise: the next worker
     * the core thread starts wakes it again.
     * @return when to check next, or {@link Long#MAX_VALUE} if nothing needs watching
     */
    private long watchdog() {
        if (owner.watchdogNanos == 0) {
            return Long.MAX_VALUE;
        }
        long now = owner.clock.nanoTime();
        if (watchdogDueNanos != Long.MAX_VALUE && now - watchdogDueNanos < 0) {
            return watchdogDueNanos;
        }
        watchdogDueNanos = owner.watchForStalls(now) ? now + Math.max(owner.watchdogNanos / 4, 1) : Long.MAX_VALUE;
        return watchdogDueNanos;
    }

    /** @return the deadline of the next timer, or {@link Long#MAX_VALUE} if none waits */
    private long fireDueTimers() {
        timerLock.lock();
        try {
            long now = owner.clock.nanoTime();
            // Queued under the timer lock and only before shutdown: shutdown takes the timers
            // after setting its state, so each delayed task is either queued before shutdown
            // (and drained or handed back) or cancelled by it.
            for (DelayedWork next = timers.peek(); next != null && !owner.isShutdown(); next = timers.peek()) {
                if (next.deadlineNanos - now > 0) {
                    return next.deadlineNanos;
                }
                timers.poll();
                next.slot.enqueueAccepted(next);
            }
            return Long.MAX_VALUE;
        }
        finally {
            timerLock.unlock();
        }
    }
}
