package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The one thread that serves every pool and workqueue of a clock (the system clock's manager
 * serves the whole JVM), and exists only while it has something to do. It starts workers that a
 * submitter could not start, runs a pool's work itself when no worker can be created, adds a
 * worker to a pool whose workers are all stuck, fires delayed work and runs the stall watchdog.
 * It exits when no spawn is asked for, no work waits, no timer is pending and no worker lives.
 *
 * <p>Whoever leaves work for the manager publishes it first (a request, a timer, a queued task)
 * and then reads {@link #running}; the manager, before it exits, clears {@link #running} and
 * then reads every source again. At least one of the two sees the other, so no work is left to
 * a manager that has gone (docs/architecture.md, "The manager").
 */
final class Manager implements Runnable {

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    /** The name of the manager's thread. */
    static final String THREAD_NAME = "lazy-workqueue-manager";

    private static final Map<WorkqueueClock, Manager> managers = new IdentityHashMap<>();

    /** The concurrency rule looks at most this often, however small the threshold. */
    private static final long MIN_GROWTH_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final WorkqueueClock clock;

    private final ThreadRecord record = new ThreadRecord(THREAD_NAME);

    private final CopyOnWriteArrayList<WorkerPool> pools = new CopyOnWriteArrayList<>();

    /** Workqueues that have scheduled delayed work, until they terminate. */
    private final CopyOnWriteArrayList<LazyWorkqueue> timerOwners = new CopyOnWriteArrayList<>();

    private final ConcurrentLinkedQueue<WorkerPool> spawnRequests = new ConcurrentLinkedQueue<>();

    private final ConcurrentLinkedQueue<PendingStart> newStarts = new ConcurrentLinkedQueue<>();

    /** Workers started whose thread has not run them yet: manager thread only. */
    private final List<PendingStart> pendingStarts = new ArrayList<>();

    private final Object startLock = new Object();

    /** Whether a manager thread serves; written under {@link #startLock}. */
    private volatile boolean running;

    /**
     * Whether the manager looks at the pools' waiting work periodically now, so that new waiting
     * work needs no wake-up.
     */
    private volatile boolean looking;

    /**
     * Whether the stall watchdog looks at the workqueues periodically now, so that new inactive
     * work needs no wake-up.
     */
    private volatile boolean watching;

    private volatile @Nullable Thread thread;

    /** When the next stall watchdog look is due, by the clock: manager thread only. */
    private long watchdogDueNanos;

    private boolean watchdogArmed;

    /** When the next look for stuck workers is due, by {@link System#nanoTime()}: manager thread only. */
    private long growthDueNanos;

    private Manager(WorkqueueClock clock) {
        this.clock = clock;
    }

    /** @return the manager of every pool with this clock */
    static Manager of(WorkqueueClock clock) {
        synchronized (managers) {
            return managers.computeIfAbsent(clock, Manager::new);
        }
    }

    void adopt(WorkerPool pool) {
        pools.add(pool);
    }

    /** A retired pool leaves the manager, which may then have nothing left to wait for. */
    void forget(WorkerPool pool) {
        pools.remove(pool);
        signal();
    }

    /** A terminated workqueue leaves the manager, which may then have nothing left to wait for. */
    void forget(LazyWorkqueue workqueue) {
        timerOwners.remove(workqueue);
        signal();
    }

    /** @return the manager's thread as a snapshot shows it, or {@code null} while none serves */
    @Nullable ThreadSnapshot snapshot(Timebase timebase) {
        return running ? record.snapshot(timebase) : null;
    }

    /** @return whether a manager thread serves now */
    boolean running() {
        return running;
    }

    String name() {
        return record.name();
    }

    /**
     * Makes sure a manager thread serves: work was left for it. A caller returns from here only
     * once the thread has really started.
     * @throws RejectedExecutionException if no thread serves and none can be started
     */
    void watch() {
        if (running) {
            if (!looking) {
                signal();
            }
            return;
        }
        start();
    }

    /**
     * Makes sure a manager thread serves, for the stall watchdog: inactive work was left, which
     * only the watchdog needs to see.
     * @throws RejectedExecutionException if no thread serves and none can be started
     */
    void watchForStalls() {
        if (running) {
            if (!looking && !watching) {
                signal();
            }
            return;
        }
        start();
    }

    private void start() {
        synchronized (startLock) {
            if (running) {
                return;
            }
            Thread manager = new Thread(this, THREAD_NAME);
            manager.setDaemon(true);
            try {
                manager.start();
            }
            catch (Throwable ex) {
                throw new RejectedExecutionException("The workqueue manager thread could not start: " + ex, ex);
            }
            thread = manager;
            // Only now: a caller that saw it earlier would leave work to a thread that never ran.
            // The new thread cannot leave before this, as it takes the lock to leave.
            running = true;
        }
    }

    /** Wakes the manager: something changed that it acts on. */
    void signal() {
        Thread manager = thread;
        if (manager != null) {
            LockSupport.unpark(manager);
        }
    }

    /** Interrupts the manager, which runs a task of a workqueue that stops, as fallback. */
    void interrupt() {
        Thread manager = thread;
        if (manager != null) {
            manager.interrupt();
        }
    }

    /**
     * Asks for a worker for a pool, under the reservation the pool took.
     * @throws RejectedExecutionException if no manager can serve the request; it was withdrawn
     */
    void requestSpawn(WorkerPool pool) {
        spawnRequests.offer(pool);
        try {
            watch();
        }
        catch (RejectedExecutionException ex) {
            if (spawnRequests.remove(pool)) {
                throw ex;
            }
            // A manager took the request after all.
        }
        signal();
    }

    /**
     * Gives a started worker the spawn retry delay to be run by its thread, which a user's factory
     * may never do; after it the manager gives up on it as on a failed creation.
     */
    void watchStart(WorkerPool pool, Worker worker, long deadlineNanos) {
        newStarts.offer(new PendingStart(pool, worker, deadlineNanos));
        watch();
        signal();
    }

    /**
     * Makes sure a workqueue's delayed work is fired: the workqueue has scheduled some, and the
     * manager looks at its timers from now until it terminates.
     * @throws RejectedExecutionException if no manager can serve
     */
    void timerAdded(LazyWorkqueue workqueue) {
        timerOwners.addIfAbsent(workqueue);
        watch();
        signal();
    }

    @Override
    public void run() {
        try {
            record.started(clock);
            try {
                // A thread inherits the affinity of its creator, which may be a pinned worker.
                Affinity.get().unpinCurrentThread();
            }
            catch (AffinityException ex) {
                logger.log(System.Logger.Level.DEBUG, "The workqueue manager could not unpin itself", ex);
            }
            serve();
        }
        catch (Throwable ex) {
            // User callbacks are guarded where they are called; this is the clock, or an Error.
            died(ex);
        }
    }

    private void serve() {
        for (;;) {
            // Interrupts are not how the manager is told anything; one left by a fallback task
            // must not turn its waits into spins.
            Thread.interrupted();
            int requests = pools.size() + 1;
            WorkerPool pool;
            while (requests-- > 0 && (pool = spawnRequests.poll()) != null) {
                spawn(pool);
            }
            long now = clock.nanoTime();
            long wait = Math.min(fireDueTimers(), Math.min(settlePendingStarts(now), watchdog(now)));
            long growthWait = lookForStuckWorkers();
            if (!spawnRequests.isEmpty()) {
                continue;
            }
            if (wait == Long.MAX_VALUE && growthWait == Long.MAX_VALUE && !poolsHaveWorkers()) {
                if (tryExit()) {
                    return;
                }
                // Work came as the manager was leaving: look again before waiting.
                continue;
            }
            record.lastActiveNanos = now;
            park(now, wait, growthWait);
        }
    }

    /**
     * Waits for the next deadline by the clock, or for the next look for stuck workers, which goes
     * by real time whatever the clock: a stuck worker is stuck in real time.
     */
    private void park(long now, long wait, long growthWait) {
        if (growthWait == Long.MAX_VALUE) {
            clock.parkUntil(this, wait == Long.MAX_VALUE ? Long.MAX_VALUE : now + wait);
        }
        else {
            LockSupport.parkNanos(this, clock == WorkqueueClock.system() ? Math.min(wait, growthWait) : growthWait);
        }
    }

    /**
     * Leaves if nothing was left for the manager meanwhile: it clears {@link #running} first and
     * reads every source afterwards.
     */
    private boolean tryExit() {
        synchronized (startLock) {
            running = false;
        }
        if (!hasWork()) {
            return true;
        }
        synchronized (startLock) {
            if (running) {
                // Whoever left the work started another manager thread: this one leaves to it.
                return true;
            }
            running = true;
            return false;
        }
    }

    private boolean hasWork() {
        if (!spawnRequests.isEmpty() || !newStarts.isEmpty() || !pendingStarts.isEmpty()) {
            return true;
        }
        for (LazyWorkqueue workqueue : timerOwners) {
            if (workqueue.timers.pending() > 0) {
                return true;
            }
        }
        return poolsNeedManager();
    }

    /**
     * Whether a pool still has workers. The manager stays while they live, though nothing waits:
     * more work is likely to come while they do, and a manager that left between bursts would
     * cost a thread start for each. The last worker to leave wakes it.
     */
    private boolean poolsHaveWorkers() {
        for (WorkerPool pool : pools) {
            if (pool.liveWorkers() > 0) {
                return true;
            }
        }
        return false;
    }

    private boolean poolsNeedManager() {
        for (WorkerPool pool : pools) {
            if (pool.needsManager()) {
                return true;
            }
        }
        return false;
    }

    private void spawn(WorkerPool pool) {
        if (pool.coolingDown(clock.nanoTime())) {
            pool.runFallback(record, "a worker could not be created moments ago");
        }
        else if (pool.startWorker() != null) {
            pool.runFallback(record, "the worker could not be created");
        }
    }

    /**
     * Gives up on started threads that have not run their worker within the spawn retry delay,
     * as on a failed creation: a factory's thread may run something else, or nothing.
     * @return how long until the next of them is due, or {@link Long#MAX_VALUE} if none is pending
     */
    private long settlePendingStarts(long now) {
        PendingStart started;
        while ((started = newStarts.poll()) != null) {
            pendingStarts.add(started);
        }
        long wait = Long.MAX_VALUE;
        for (Iterator<PendingStart> starts = pendingStarts.iterator(); starts.hasNext();) {
            PendingStart start = starts.next();
            if (start.worker().settled()) {
                starts.remove();
            }
            else if (now - start.deadlineNanos() >= 0) {
                starts.remove();
                if (start.worker().abandon()) {
                    WorkerPool pool = start.pool();
                    pool.spawnFailed(start.worker().record.name(), "its thread did not run the worker within "
                            + Duration.ofNanos(pool.key.spawnRetryNanos()));
                    pool.runFallback(record, "the worker's thread did not run it");
                }
            }
            else {
                wait = Math.min(wait, start.deadlineNanos() - now);
            }
        }
        return wait;
    }

    /**
     * Runs the stall watchdog when its look is due: four times per threshold, at most every 10 ms,
     * while work waits on any workqueue.
     * @return how long until the next look, by the clock, or {@link Long#MAX_VALUE} if no work waits
     */
    private long watchdog(long now) {
        // Cleared before the workqueues are read: a submitter whose work this misses sees it clear
        // and wakes the manager.
        watching = false;
        if (watchdogArmed && now - watchdogDueNanos < 0) {
            // Between looks the manager stays only while work still waits: a manager that waited
            // out a look after the work was done would outlive it by up to a quarter threshold.
            watchdogArmed = poolsNeedManager();
            watching = watchdogArmed;
            return watchdogArmed ? watchdogDueNanos - now : Long.MAX_VALUE;
        }
        long period = Long.MAX_VALUE;
        for (WorkerPool pool : pools) {
            period = Math.min(period, pool.watch(now));
        }
        watchdogArmed = period != Long.MAX_VALUE;
        watching = watchdogArmed;
        if (!watchdogArmed) {
            return Long.MAX_VALUE;
        }
        watchdogDueNanos = now + period;
        return period;
    }

    /**
     * Adds a worker to each pool whose workers are all stuck while work waits on it, when the look
     * is due: every half concurrency threshold of real time, at most every millisecond.
     * @return how long until the next look, or {@link Long#MAX_VALUE} if no work waits on a pool
     */
    private long lookForStuckWorkers() {
        long now = System.nanoTime();
        if (looking && now - growthDueNanos < 0) {
            return growthDueNanos - now;
        }
        // Cleared before the pools are read: a submitter whose work the loop misses sees it clear
        // and wakes the manager.
        looking = false;
        long period = Long.MAX_VALUE;
        for (WorkerPool pool : pools) {
            if (pool.hasReadyWork()) {
                period = Math.min(period, Math.max(pool.key.concurrencyThresholdNanos() / 2, MIN_GROWTH_PERIOD_NANOS));
                if (pool.mayGrow(now)) {
                    spawn(pool);
                }
            }
        }
        if (period == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        looking = true;
        growthDueNanos = now + period;
        return period;
    }

    /** @return how long until the next timer is due, or {@link Long#MAX_VALUE} if none waits */
    private long fireDueTimers() {
        long wait = Long.MAX_VALUE;
        for (LazyWorkqueue workqueue : timerOwners) {
            wait = Math.min(wait, workqueue.timers.fireDue());
        }
        return wait;
    }

    /**
     * The manager is ending on an error it cannot serve past, such as a failing clock. Every
     * workqueue it serves says so and stops: queued work is handed back (and futures among it
     * cancelled), running tasks finish. Its requests are dropped; a later task starts a new
     * manager for the workqueues still running.
     */
    private void died(Throwable error) {
        Set<LazyWorkqueue> served = new LinkedHashSet<>(timerOwners);
        for (WorkerPool pool : pools) {
            served.addAll(pool.workqueues());
        }
        try {
            List<String> names = new ArrayList<>();
            served.forEach(workqueue -> names.add("'" + workqueue.name() + "'"));
            logger.log(System.Logger.Level.ERROR, "The workqueue manager thread " + Thread.currentThread().getName()
                    + " died; workqueue(s) " + String.join(", ", names)
                    + " stop accepting work and hand back their queued tasks", error);
        }
        finally {
            WorkerPool pool;
            while ((pool = spawnRequests.poll()) != null) {
                pool.cancelSpawn();
            }
            newStarts.forEach(pendingStarts::add);
            newStarts.clear();
            for (PendingStart start : pendingStarts) {
                if (start.worker().abandon()) {
                    start.pool().cancelSpawn();
                }
            }
            pendingStarts.clear();
            watchdogArmed = false;
            watching = false;
            looking = false;
            for (LazyWorkqueue workqueue : served) {
                workqueue.managerDied(error, record.name());
            }
            synchronized (startLock) {
                running = false;
            }
        }
    }

    /** A worker whose thread has started but not yet run it, and when to give up on it. */
    private record PendingStart(WorkerPool pool, Worker worker, long deadlineNanos) {
    }
}
