package io.lazyworkqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * One CPU of a workqueue: its tasks on their way through the CPU's {@link WorkerPool}, the
 * rejection policies, the flush counts, the stall watchdog's view and the counters.
 *
 * <p>At most {@code maxActive} of its tasks are active, that is queued on the pool or running;
 * the others wait here, inactive, and each task that finishes activates the next. An activated
 * task joins the pool's queue behind the tasks of other workqueues that became active before it,
 * as in the kernel's {@code max_active}: no workqueue starves another by volume.
 */
final class CpuSlot {

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    /** For runs whose turn always ends: the manager's fallback runs. */
    private static final BooleanSupplier NOTHING_ELSE_WAITS_NEVER = () -> false;

    final int cpu;

    private final LazyWorkqueue owner;

    private final int maxActive;

    /** The pool, set once the workqueue is built and attaches its CPUs. */
    private @Nullable WorkerPool pool;

    /** At most {@link #maxActive} tasks queued on the pool or running; the others inactive. */
    private final Turns<Work> turns;

    /** Tasks queued, active or inactive, plus room reserved for tasks about to be queued. */
    private final AtomicInteger queued = new AtomicInteger();

    /** Tasks queued or running, per flush generation. */
    final AtomicLongArray inflight = new AtomicLongArray(2);

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition notFull = lock.newCondition();

    private volatile int blockedProducers;

    private final AtomicLong fallbackRuns = new AtomicLong();

    private final LongAdder completed = new LongAdder();

    private final LongAdder failed = new LongAdder();

    private final LongAdder rejected = new LongAdder();

    /**
     * What the watchdog saw last: whether work waited, how many tasks had finished, and since when
     * work has waited with that count standing still. Manager thread only.
     */
    private boolean sawWaiting;

    private long watchedProgress;

    private long progressSeenNanos;

    /** Whether the watchdog found the queued work stalled, and since when. */
    private volatile boolean stalled;

    private volatile long stalledSinceNanos;

    /** When the fallback task now running on the manager started, while {@link #fallbackTaskRunning}. */
    private volatile long fallbackTaskStartedNanos;

    private volatile boolean fallbackTaskRunning;

    /** Fallback tasks started so far, and the one a stuck manager was last reported for. */
    private volatile long fallbackTasksStarted;

    private final AtomicLong stuckFallbackReported = new AtomicLong();

    CpuSlot(int cpu, LazyWorkqueue owner) {
        this.cpu = cpu;
        this.owner = owner;
        this.maxActive = owner.config.maxActive();
        this.turns = new Turns<>(maxActive, work -> pool().enqueue(work));
    }

    /** Joins the pool that serves this CPU; once, as the last step of building the workqueue. */
    void attach(PoolKey key) {
        pool = WorkerPools.attach(key, cpu, this);
    }

    /** Leaves the pool: the workqueue has terminated. */
    void detach() {
        WorkerPools.detach(pool(), this);
    }

    WorkerPool pool() {
        WorkerPool attached = pool;
        if (attached == null) {
            throw new IllegalStateException("CPU " + cpu + " of workqueue '" + owner.name() + "' has no pool yet");
        }
        return attached;
    }

    LazyWorkqueue owner() {
        return owner;
    }

    int maxActive() {
        return maxActive;
    }

    String threadNamePrefix() {
        return owner.config.threadNamePrefix();
    }

    /**
     * Queues a task, or applies the rejection policy when the queue is full.
     * @throws RejectedExecutionException if the task is refused
     */
    void execute(Runnable task) {
        if (!reserveRoom(task)) {
            return;
        }
        // Room first, then the state: shutdown writes the state, then counts the room.
        if (owner.isShutdown()) {
            unreserve();
            throw countRejected(owner.rejectedAfterShutdown());
        }
        Work work = countedWork(task);
        boolean active = turns.tryTakeFirst();
        boolean threadComing = false;
        try {
            if (active) {
                threadComing = enqueueActive(work);
            }
            else {
                turns.park(work);
            }
        }
        catch (Throwable ex) {
            // Not queued: the call leaves no trace.
            dropped(work);
            throw ex;
        }
        if (!threadComing) {
            makeSureOfTheManager(work, active);
        }
    }

    /** Queues a delayed task whose delay has passed, on the manager: it was accepted when scheduled. */
    void enqueueAccepted(Runnable task) {
        queued.incrementAndGet();
        Work work = countedWork(task);
        try {
            if (turns.tryTakeFirst()) {
                enqueueActive(work);
            }
            else {
                turns.park(work);
            }
        }
        catch (Throwable ex) {
            dropped(work);
            throw ex;
        }
    }

    /**
     * Busy workers or a worker someone else asked for will come for the task, or none could be
     * had: the manager must watch, or the task is taken back and refused. An inactive task needs
     * the manager only for the stall watchdog: a turn that ends activates it.
     */
    private void makeSureOfTheManager(Work work, boolean active) {
        try {
            if (active) {
                pool().manager.watch();
            }
            else if (owner.watchdogNanos > 0) {
                pool().manager.watchForStalls();
            }
        }
        catch (RejectedExecutionException ex) {
            if (takeBack(work)) {
                dropped(work);
                throw countRejected(ex);
            }
            // A thread has the task already: it was accepted and runs.
        }
    }

    /**
     * Queues a task that has taken a turn on the pool. If it throws, the task is not queued and
     * the turn is given back.
     * @return whether a thread is sure to come for the task
     */
    private boolean enqueueActive(Work work) {
        try {
            return pool().enqueue(work);
        }
        catch (Throwable ex) {
            turns.end();
            throw ex;
        }
    }

    /** @return whether the task was still queued, so that its submitter owns it again */
    private boolean takeBack(Work work) {
        if (turns.removeInactive(work)) {
            return true;
        }
        if (pool().takeBack(work)) {
            turns.end();
            return true;
        }
        return false;
    }

    /** Counts the task in the flush generations; gives back its room if that fails. */
    private Work countedWork(Runnable task) {
        boolean timed;
        long queuedNanos;
        int generation;
        try {
            timed = !owner.timingListeners.isEmpty();
            queuedNanos = timed ? owner.clock.nanoTime() : 0;
            generation = owner.flushBarrier.enter(inflight);
        }
        catch (Throwable ex) {
            // An Error (a full heap, a failing clock) before the task reached the queue.
            unreserve();
            throw ex;
        }
        try {
            return new Work(task, this, generation, timed, queuedNanos);
        }
        catch (Throwable ex) {
            owner.flushBarrier.exit(inflight, generation);
            unreserve();
            throw ex;
        }
    }

    /** Gives back room reserved for a task that will not be queued. */
    private void unreserve() {
        queued.decrementAndGet();
        roomFreed();
        owner.terminateIfDone();
    }

    /** A task taken back or never queued: its room and flush count go, and shutdown may now end. */
    private void dropped(Work work) {
        owner.flushBarrier.exit(inflight, work.generation);
        unreserve();
    }

    private boolean reserveRoom(Runnable task) {
        int capacity = owner.config.queueCapacity();
        while (!tryReserve(capacity)) {
            switch (owner.config.rejection()) {
                case ABORT -> throw countRejected(new RejectedExecutionException("Workqueue '" + owner.config.name()
                        + "' rejected a task: the queue of CPU " + cpu + " is full (queue capacity " + capacity + ")"));
                case CALLER_RUNS -> {
                    task.run();
                    return false;
                }
                case BLOCK -> {
                    if (LazyWorkqueue.CURRENT.get() == owner) {
                        throw countRejected(new RejectedExecutionException("Workqueue '" + owner.config.name()
                                + "' rejected a task: the queue of CPU " + cpu + " is full (queue capacity " + capacity
                                + ") and the submitter is a thread of the workqueue itself, which does not wait for"
                                + " room that only the workqueue's threads can make"));
                    }
                    awaitRoom(capacity);
                }
            }
        }
        return true;
    }

    private boolean tryReserve(int capacity) {
        if (capacity == Integer.MAX_VALUE) {
            queued.incrementAndGet();
            return true;
        }
        return BoundedIncrement.tryIncrement(queued, capacity);
    }

    private void awaitRoom(int capacity) {
        lock.lock();
        try {
            blockedProducers++;
            while (queued.get() >= capacity && !owner.isShutdown()) {
                notFull.await();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw countRejected(new RejectedExecutionException("Workqueue '" + owner.config.name()
                    + "' rejected a task: interrupted while waiting for room in the queue of CPU " + cpu));
        }
        finally {
            blockedProducers--;
            lock.unlock();
        }
        if (owner.isShutdown()) {
            throw countRejected(owner.rejectedAfterShutdown());
        }
    }

    /** Counts a task this CPU refused, and hands back the exception that tells its submitter. */
    RejectedExecutionException countRejected(RejectedExecutionException ex) {
        rejected.increment();
        return ex;
    }

    /** Lets a submitter that waits for room under {@code BLOCK} try again. */
    private void roomFreed() {
        if (blockedProducers > 0) {
            lock.lock();
            try {
                notFull.signal();
            }
            finally {
                lock.unlock();
            }
        }
    }

    /** Runs a task a pool's worker took from the pool's queue. */
    void run(Work work, ThreadRecord runner) {
        runThenTakeNext(work, runner, NOTHING_ELSE_WAITS_NEVER);
    }

    /**
     * Runs a task a pool's worker took from the pool's queue. Then, if nothing else waits on the
     * pool, its turn goes straight to the next inactive task of this CPU, which the worker runs next
     * instead of queueing it on the pool and taking it back: with no other work waiting, that is
     * where activation would put it anyway.
     * @param nothingElseWaits whether the pool's queue is empty, read once the task has run
     * @return the next task, whose turn the finished one handed on; {@code null} if its turn ended
     */
    @Nullable Work runThenTakeNext(Work work, ThreadRecord runner, BooleanSupplier nothingElseWaits) {
        queued.decrementAndGet();
        Work next = null;
        try {
            roomFreed();
            runTask(work, runner);
        }
        finally {
            try {
                next = nothingElseWaits.getAsBoolean() ? turns.pollInactive() : null;
                if (next == null) {
                    turns.end();
                }
            }
            finally {
                owner.flushBarrier.exit(inflight, work.generation);
                owner.terminateIfDone();
            }
        }
        return next;
    }

    /** Runs a task on the manager, because the pool has no worker. */
    void runFallback(Work work, ThreadRecord manager) {
        fallbackRuns.incrementAndGet();
        LazyWorkqueue.CURRENT.set(owner);
        fallbackTaskStartedNanos = owner.clock.nanoTime();
        fallbackTasksStarted++;
        fallbackTaskRunning = true;
        try {
            run(work, manager);
        }
        finally {
            fallbackTaskRunning = false;
        }
    }

    /** Runs one task on the calling thread, which may be a worker or the manager. */
    private void runTask(Work work, ThreadRecord runner) {
        boolean timed = work.timed && !owner.timingListeners.isEmpty();
        long started = 0;
        if (timed) {
            try {
                started = owner.clock.nanoTime();
            }
            catch (Throwable ex) {
                // The task is taken: it runs, untimed.
                owner.timingFailed(owner.timingListeners, ex);
                timed = false;
            }
        }
        try {
            work.task.run();
            completed.increment();
        }
        catch (Throwable ex) {
            failed.increment();
            Thread thread = Thread.currentThread();
            try {
                thread.getUncaughtExceptionHandler().uncaughtException(thread, ex);
            }
            catch (Throwable ignored) {
                // The handler failed too: there is nobody left to tell, and the worker must go on.
            }
        }
        finally {
            if (timed) {
                owner.taskTimed(cpu, work.queuedNanos, started);
            }
            runner.countCompleted();
            if (!owner.isStopped()) {
                // A task may leave its thread interrupted; that must not cut short its next wait.
                Thread.interrupted();
            }
        }
    }

    /** Hands back every queued task and interrupts the running ones, for {@code shutdownNow()}. */
    void stop(List<Runnable> neverRan) {
        drain(neverRan);
        pool().interrupt(this);
        if (fallbackTaskRunning) {
            pool().manager.interrupt();
        }
    }

    /** Takes every queued task out of the queues. */
    void drain(List<Runnable> neverRan) {
        List<Work> taken = new ArrayList<>();
        turns.drainInactive(taken);
        int wereInactive = taken.size();
        pool().drain(this, taken);
        turns.endWithoutActivating(taken.size() - wereInactive);
        for (Work drained : taken) {
            neverRan.add(drained.task);
            queued.decrementAndGet();
            owner.flushBarrier.exit(inflight, drained.generation);
        }
        roomFreed();
        // A submitter that was accepted before the stop may have left a task since.
        turns.activateWaiting();
    }

    /** Wakes submitters blocked for room: the workqueue shut down. */
    void wakeBlockedProducers() {
        lock.lock();
        try {
            notFull.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** @return tasks queued, active or inactive, and room reserved */
    int queued() {
        return queued.get();
    }

    /** @return whether no task of this CPU is queued, reserved or running */
    boolean quiescent() {
        return queued.get() == 0 && inflight.get(0) + inflight.get(1) == 0;
    }

    /**
     * The stall watchdog's look at this CPU, as the kernel's workqueue watchdog does it: work that
     * waits while no task has finished for the threshold is a stall. Runs on the manager.
     * @return whether work waits, so that the manager must look again
     */
    boolean watch(long now) {
        long thresholdNanos = owner.watchdogNanos;
        int waiting = queued.get();
        if (thresholdNanos == 0) {
            return waiting > 0;
        }
        long progress = completed.sum() + failed.sum();
        if (waiting <= 0) {
            sawWaiting = false;
            stalled = false;
        }
        else if (!sawWaiting || progress != watchedProgress) {
            // The work arrived since the last look, or some finished: the stall clock starts now,
            // not at a look that may lie long before the work was queued.
            sawWaiting = true;
            watchedProgress = progress;
            progressSeenNanos = now;
            stalled = false;
        }
        else if (!stalled && now - progressSeenNanos >= thresholdNanos) {
            stalledSinceNanos = progressSeenNanos;
            stalled = true;
            String detail = waiting + " task(s) queued and none finished for "
                    + Duration.ofNanos(now - progressSeenNanos) + pool().describeBusyWorkers();
            reportStall(detail);
        }
        return waiting > 0;
    }

    private void reportStall(String detail) {
        owner.events.record(cpu, WorkqueueEventType.STALLED, pool().manager.name(), detail);
        logger.log(System.Logger.Level.WARNING, "Workqueue '" + owner.config.name() + "' stalled on CPU " + cpu
                + ": " + detail);
    }

    /** @return the watchdog threshold of this CPU's workqueue, zero when off */
    long watchdogNanos() {
        return owner.watchdogNanos;
    }

    /**
     * Reports, once per task, a manager that has run one fallback task of this CPU for longer
     * than the watchdog threshold: its spawns, timers and watchdog wait meanwhile, so it cannot
     * report itself. Any thread that looks at the workqueue calls this.
     * @return since when the task has run, if it is stuck; {@code null} otherwise
     */
    @Nullable Long stuckFallbackSince() {
        long thresholdNanos = owner.watchdogNanos;
        if (!fallbackTaskRunning || thresholdNanos == 0) {
            return null;
        }
        long task = fallbackTasksStarted;
        long since = fallbackTaskStartedNanos;
        long now = owner.clock.nanoTime();
        if (!fallbackTaskRunning || task != fallbackTasksStarted || now - since < thresholdNanos) {
            return null;
        }
        long reported = stuckFallbackReported.get();
        if (reported != task && stuckFallbackReported.compareAndSet(reported, task)) {
            reportStall("the manager thread has run one task of CPU " + cpu + " for " + Duration.ofNanos(now - since)
                    + " because no worker could be created; spawns, timers and the watchdog of every pool wait for it");
        }
        return since;
    }

    CpuSnapshot snapshot(Timebase timebase) {
        WorkerPool attached = pool();
        Handoff.Staff<Worker> staff = attached.staff();
        List<ThreadSnapshot> threads = new ArrayList<>();
        staff.live().forEach(worker -> threads.add(worker.record.snapshot(timebase)));
        int waiting = Math.max(0, queued.get());
        return new CpuSnapshot(cpu, attached.state(), threads, waiting, running(waiting, threads.size()),
                stalledSince(timebase), counters());
    }

    /** The figures of {@link #snapshot} but the threads, read without locks. */
    CpuStats stats(Timebase timebase) {
        WorkerPool attached = pool();
        int threads = attached.liveWorkers();
        int waiting = Math.max(0, queued.get());
        return new CpuStats(cpu, attached.state(), threads, waiting, running(waiting, threads),
                stalledSince(timebase), counters());
    }

    /** @return live workers of the pool, read without locks */
    int liveWorkers() {
        return pool().liveWorkers();
    }

    /** Tasks in flight that are not waiting, at most one per thread that can run them. */
    private int running(int waiting, int threads) {
        long running = inflight.get(0) + inflight.get(1) - waiting;
        int runners = Math.max(threads, fallbackTaskRunning ? 1 : 0);
        return (int) Math.max(0, Math.min(running, Math.min(runners, maxActive)));
    }

    private @Nullable Instant stalledSince(Timebase timebase) {
        Long stuckSince = stuckFallbackSince();
        if (stuckSince != null) {
            return timebase.at(stuckSince);
        }
        // Once the work is gone the stall is over, whether or not the manager has looked since.
        return stalled && queued.get() > 0 ? timebase.at(stalledSinceNanos) : null;
    }

    private CpuCounters counters() {
        return pool().counters(fallbackRuns.get(), completed.sum(), failed.sum(), rejected.sum());
    }
}
