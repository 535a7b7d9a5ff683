package io.lazyworkqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * One CPU of a workqueue: its queue and workers (through a {@link Handoff}, which holds the
 * races between submitters, workers and shutdown), the rejection policies, the flush counts, the
 * fallback runs, the stall watchdog's view and the counters.
 */
final class CpuSlot implements Handoff.Owner {

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    /** Tasks the core thread runs for a CPU before it turns to its other duties. */
    private static final int FALLBACK_BATCH = 64;

    /** Times a worker that has been draining a burst yields for more work before it parks. */
    private static final int YIELDS_BEFORE_IDLE = 8;

    final int cpu;

    private final LazyWorkqueue owner;

    private final Handoff<Work, Worker> handoff;

    /** Tasks queued or running, per flush generation. */
    final AtomicLongArray inflight = new AtomicLongArray(2);

    /** The hand-off's lock, which also guards the cool-down and the name sequence. */
    private final ReentrantLock lock;

    private final Condition notFull;

    private volatile int blockedProducers;

    private volatile boolean fallbackRunning;

    /** Whether a worker creation failed and {@link #retryAfterNanos} is still to be checked. */
    private boolean coolingDown;

    private long retryAfterNanos;

    private int spawnSequence;

    private final AtomicLong spawns = new AtomicLong();

    private final AtomicLong idleExits = new AtomicLong();

    private final AtomicLong shutdownExits = new AtomicLong();

    private final AtomicLong failureExits = new AtomicLong();

    private final AtomicLong spawnFailures = new AtomicLong();

    private final AtomicLong fallbackRuns = new AtomicLong();

    private final LongAdder completed = new LongAdder();

    private final LongAdder failed = new LongAdder();

    private final LongAdder rejected = new LongAdder();

    /**
     * What the watchdog saw last: whether work waited, how many tasks had finished, and since when
     * work has waited with that count standing still. Core thread only.
     */
    private boolean sawWaiting;

    private long watchedProgress;

    private long progressSeenNanos;

    /** Whether the watchdog found the queued work stalled, and since when. */
    private volatile boolean stalled;

    private volatile long stalledSinceNanos;

    /** When the fallback task now running on the core thread started, while {@link #fallbackRunning}. */
    private volatile long fallbackTaskStartedNanos;

    /** Fallback tasks started so far, and the one a stuck core thread was last reported for. */
    private volatile long fallbackTasksStarted;

    private final AtomicLong stuckFallbackReported = new AtomicLong();

    CpuSlot(int cpu, LazyWorkqueue owner) {
        this.cpu = cpu;
        this.owner = owner;
        this.handoff = new Handoff<>(owner.maxActive, this);
        this.lock = handoff.lock;
        this.notFull = lock.newCondition();
    }

    @Override
    public boolean isShutdown() {
        return owner.isShutdown();
    }

    @Override
    public boolean isStopped() {
        return owner.isStopped();
    }

    @Override
    public void spawnRequested() {
        owner.events.record(cpu, WorkqueueEventType.SPAWN_REQUESTED, owner.core.name(),
                handoff.queued() + " task(s) queued, no worker free");
        owner.core.requestSpawn(this);
    }

    /**
     * Queues a task, or applies the rejection policy when the queue is full.
     * @throws RejectedExecutionException if the task is refused
     */
    void execute(Runnable task) {
        if (reserveRoom(task)) {
            enqueue(task, true);
        }
    }

    /** Queues a delayed task whose delay has passed: it was accepted when it was scheduled. */
    void enqueueAccepted(Runnable task) {
        handoff.tryReserve(Integer.MAX_VALUE);
        enqueue(task, false);
    }

    private void enqueue(Runnable task, boolean retractOnShutdown) {
        Work work;
        try {
            work = countedWork(task);
        }
        catch (Throwable ex) {
            // An Error (a full heap, a failing clock) before the task reached the queue: give
            // back the room it reserved, so no phantom task holds up the watchdog or shutdown.
            handoff.unreserve();
            roomFreed();
            throw ex;
        }
        boolean kept;
        try {
            kept = handoff.enqueue(work, retractOnShutdown);
        }
        catch (Throwable ex) {
            // The hand-off gave the task back: a call that throws leaves no trace.
            dropped(work);
            throw ex;
        }
        if (!kept) {
            dropped(work);
            throw countRejected(owner.rejectedAfterShutdown());
        }
    }

    /** Counts the task in the flush generations; undoes the count if making its entry fails. */
    private Work countedWork(Runnable task) {
        boolean timed = !owner.timingListeners.isEmpty();
        long queuedNanos = timed ? owner.clock.nanoTime() : 0;
        int generation = owner.flushBarrier.enter(inflight);
        try {
            return new Work(task, generation, timed, queuedNanos);
        }
        catch (Throwable ex) {
            owner.flushBarrier.exit(inflight, generation);
            throw ex;
        }
    }

    /** A task its submitter took back: its room and flush count go, and shutdown may now end. */
    private void dropped(Work work) {
        roomFreed();
        owner.flushBarrier.exit(inflight, work.generation);
        owner.core.signal();
    }

    private boolean reserveRoom(Runnable task) {
        int capacity = owner.config.queueCapacity();
        while (!handoff.tryReserve(capacity)) {
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

    private void awaitRoom(int capacity) {
        lock.lock();
        try {
            blockedProducers++;
            while (handoff.queued() >= capacity && !owner.isShutdown()) {
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

    private @Nullable Work poll() {
        Work work = handoff.poll();
        if (work != null) {
            roomFreed();
        }
        return work;
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

    Worker newWorker() {
        lock.lock();
        try {
            return new Worker(this, owner.config.threadNamePrefix() + cpu + ":" + spawnSequence++);
        }
        finally {
            lock.unlock();
        }
    }

    /** Whether a worker creation failed so recently that the core thread should not try again yet. */
    boolean coolingDown(long now) {
        lock.lock();
        try {
            if (coolingDown && now - retryAfterNanos >= 0) {
                coolingDown = false;
            }
            return coolingDown;
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Records a worker creation that failed, and starts the cool-down.
     * @param threadName the name the worker would have had
     * @param why the error, or what went wrong
     */
    void spawnFailed(String threadName, Object why) {
        long now = owner.clock.nanoTime();
        spawnFailures.incrementAndGet();
        lock.lock();
        try {
            retryAfterNanos = now + owner.spawnRetryNanos;
            coolingDown = true;
        }
        finally {
            lock.unlock();
        }
        owner.events.record(cpu, WorkqueueEventType.SPAWN_FAILED, threadName, String.valueOf(why));
    }

    /** The core thread gives up a reservation it holds for this CPU without starting a worker. */
    void cancelSpawn() {
        handoff.cancelSpawn();
    }

    /**
     * Runs queued work on the calling core thread, under the reservation the spawn request holds,
     * then gives the reservation back and asks again if work remains.
     */
    void runFallback(ThreadRecord core, String why) {
        int ran = 0;
        fallbackRunning = true;
        try {
            while (ran < FALLBACK_BATCH && !owner.isStopped()) {
                // Read before the poll: a task once taken must reach runTask.
                long started = owner.clock.nanoTime();
                Work work = poll();
                if (work == null) {
                    break;
                }
                fallbackRuns.incrementAndGet();
                fallbackTaskStartedNanos = started;
                fallbackTasksStarted++;
                runTask(work, core);
                ran++;
            }
        }
        finally {
            fallbackRunning = false;
            cancelSpawn();
        }
        if (ran > 0) {
            owner.events.record(cpu, WorkqueueEventType.FALLBACK_RUN, core.name,
                    "ran " + ran + " task(s) of CPU " + cpu + " on the core thread: " + why);
        }
        if (!handoff.isEmpty()) {
            handoff.wake();
        }
    }

    void runWorker(Worker worker) {
        WorkqueueEventType exit = null;
        Throwable failure = null;
        owner.threadStarted();
        try {
            workerStarted(worker);
            while (exit == null) {
                Work work = owner.isStopped() ? null : poll();
                if (work == null) {
                    exit = owner.isStopped() ? retire(worker) : awaitWork(worker);
                }
                else if (owner.maxActive == 1) {
                    runTask(work, worker.record);
                    worker.tasksSinceIdle++;
                }
                else {
                    runBusy(work, worker);
                    worker.tasksSinceIdle++;
                }
            }
        }
        catch (Throwable ex) {
            // Not a task's failure (those are caught): the worker itself broke, for instance in a
            // user-supplied clock. The thread's uncaught exception handler hears of it too.
            failure = ex;
            throw ex;
        }
        finally {
            try {
                workerExited(worker, exit, failure);
            }
            finally {
                // Last: termination waits for it, so a terminated workqueue runs no more of its code.
                owner.threadEnded();
            }
        }
    }

    /** Runs a task as one of several workers of the CPU, counted as busy while it runs. */
    private void runBusy(Work work, Worker worker) {
        try {
            handoff.taskStarted();
        }
        finally {
            try {
                runTask(work, worker.record);
            }
            finally {
                handoff.taskFinished();
            }
        }
    }

    private void workerStarted(Worker worker) {
        int liveWorkers = handoff.started(worker);
        worker.record.started(owner.clock);
        LazyWorkqueue.CURRENT.set(owner);
        spawns.incrementAndGet();
        owner.events.record(cpu, WorkqueueEventType.SPAWNED, worker.record.name,
                "tid " + worker.record.nativeThreadId + ", worker " + liveWorkers + " of at most " + owner.maxActive);
        worker.record.pinnedCpu = owner.pin(cpu, worker.record.name);
    }

    /**
     * Runs one task on the calling thread, which may be a worker or the core thread.
     */
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
            try {
                if (timed) {
                    owner.taskTimed(cpu, work.queuedNanos, started);
                }
                runner.countCompleted();
                if (!owner.isStopped()) {
                    // A task may leave its thread interrupted; that must not cut short its next wait.
                    Thread.interrupted();
                }
            }
            finally {
                owner.flushBarrier.exit(inflight, work.generation);
            }
        }
    }

    /**
     * Parks an out-of-work worker until a submitter wakes it or its idle timeout passes.
     * @return {@code null} to go on working, or why the worker exits (its exit is announced)
     */
    private @Nullable WorkqueueEventType awaitWork(Worker worker) {
        if (moreWorkAfterYielding(worker)) {
            return null;
        }
        worker.record.lastActiveNanos = owner.clock.nanoTime();
        return handoff.awaitWork(worker, owner.clock, worker.record.lastActiveNanos + owner.idleTimeoutNanos);
    }

    /**
     * A worker that has been draining a burst gives its CPU away a few times before it goes idle:
     * on its own CPU that lets a submitter queue the next task, which then needs no wake-up. A
     * worker that ran a single task parks at once, so that an occasional hand-off pays nothing.
     */
    private boolean moreWorkAfterYielding(Worker worker) {
        boolean burst = worker.tasksSinceIdle > 1;
        worker.tasksSinceIdle = 0;
        if (burst) {
            for (int i = 0; i < YIELDS_BEFORE_IDLE; i++) {
                Thread.yield();
                if (!handoff.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private WorkqueueEventType retire(Worker worker) {
        handoff.retire(worker);
        return WorkqueueEventType.SHUTDOWN_EXIT;
    }

    /**
     * Accounts for a worker whose thread is about to end.
     * @param exit why it exited, already announced; {@code null} if it broke
     * @param failure what broke it, if it did
     */
    private void workerExited(Worker worker, @Nullable WorkqueueEventType exit, @Nullable Throwable failure) {
        LazyWorkqueue.CURRENT.remove();
        if (exit == null) {
            failureExits.incrementAndGet();
            owner.events.record(cpu, WorkqueueEventType.WORKER_FAILED, worker.record.name, String.valueOf(failure));
            handoff.failed(worker);
        }
        else {
            (exit == WorkqueueEventType.IDLE_EXIT ? idleExits : shutdownExits).incrementAndGet();
            owner.events.record(cpu, exit, worker.record.name, "ran " + worker.record.completed() + " task(s)");
        }
    }

    /** Lets idle workers and blocked submitters see that the workqueue shut down. */
    void wakeForShutdown() {
        lock.lock();
        try {
            notFull.signalAll();
        }
        finally {
            lock.unlock();
        }
        handoff.wakeForShutdown();
    }

    /** Hands back every queued task and interrupts the running ones, for {@code shutdownNow()}. */
    void stop(List<Runnable> neverRan) {
        drain(neverRan);
        handoff.interruptLive();
        if (fallbackRunning) {
            owner.core.interrupt();
        }
    }

    /** Takes every queued task out of the queue. */
    void drain(List<Runnable> neverRan) {
        Work work;
        while ((work = poll()) != null) {
            neverRan.add(work.task);
            owner.flushBarrier.exit(inflight, work.generation);
        }
    }

    /**
     * The stall watchdog's look at this CPU, as the kernel's workqueue watchdog does it: work that
     * waits in the queue while no task has finished for the threshold is a stall. Runs on the core
     * thread.
     * @return whether the CPU has a worker or queued work, so that it must be watched again
     */
    boolean watch(long now, long thresholdNanos) {
        long progress = completed.sum() + failed.sum();
        int waiting = handoff.queued();
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
                    + Duration.ofNanos(now - progressSeenNanos) + describeWorkers();
            owner.events.record(cpu, WorkqueueEventType.STALLED, owner.core.name(), detail);
            logger.log(System.Logger.Level.WARNING, "Workqueue '" + owner.config.name() + "' stalled on CPU " + cpu
                    + ": " + detail);
        }
        return handoff.workers() > 0 || waiting > 0;
    }

    /** What the CPU's workers are doing, so that a stall report says what holds the work up. */
    private String describeWorkers() {
        Handoff.Staff<Worker> staff = handoff.staff();
        List<Thread> threads = new ArrayList<>();
        for (Worker worker : staff.live()) {
            Thread thread = worker.thread;
            if (thread != null && !staff.idle().contains(worker)) {
                threads.add(thread);
            }
        }
        if (threads.isEmpty()) {
            return "; no worker runs a task";
        }
        StringBuilder text = new StringBuilder("; its busy worker(s):");
        for (Thread thread : threads) {
            text.append(' ').append(thread.getName()).append(" is ").append(thread.getState());
            for (StackTraceElement frame : thread.getStackTrace()) {
                // The parking machinery says nothing; the first frame above it says what waits.
                if (!frame.getClassName().startsWith("jdk.internal.")
                        && !frame.getClassName().startsWith("java.util.concurrent.locks.")) {
                    text.append(" in ").append(frame.getClassName()).append('.').append(frame.getMethodName());
                    break;
                }
            }
        }
        return text.append(" (a task that waits for work queued behind it on its own CPU waits forever)").toString();
    }

    /**
     * Reports, once per task, a core thread that has run one fallback task of this CPU for longer
     * than the watchdog threshold: its spawns, timers and watchdog wait meanwhile, so it cannot
     * report itself. Any thread that looks at the workqueue calls this.
     * @return since when the task has run, if it is stuck; {@code null} otherwise
     */
    @Nullable Long stuckFallbackSince() {
        long thresholdNanos = owner.watchdogNanos;
        if (!fallbackRunning || thresholdNanos == 0) {
            return null;
        }
        long task = fallbackTasksStarted;
        long since = fallbackTaskStartedNanos;
        long now = owner.clock.nanoTime();
        if (!fallbackRunning || task != fallbackTasksStarted || now - since < thresholdNanos) {
            return null;
        }
        long reported = stuckFallbackReported.get();
        if (reported != task && stuckFallbackReported.compareAndSet(reported, task)) {
            String detail = "the core thread has run one task of CPU " + cpu + " for " + Duration.ofNanos(now - since)
                    + " because no worker could be created; spawns, timers and the watchdog of every CPU wait for it";
            owner.events.record(cpu, WorkqueueEventType.STALLED, owner.core.name(), detail);
            logger.log(System.Logger.Level.WARNING, "Workqueue '" + owner.config.name() + "' stalled on CPU " + cpu
                    + ": " + detail);
        }
        return since;
    }

    /** Whether nothing is queued and no thread serves this CPU. */
    boolean quiescent() {
        return handoff.quiescent();
    }

    CpuSnapshot snapshot(Timebase timebase) {
        Handoff.Staff<Worker> staff = handoff.staff();
        List<ThreadSnapshot> threads = new ArrayList<>();
        staff.live().forEach(worker -> threads.add(worker.record.snapshot(timebase)));
        boolean fallback = fallbackRunning;
        CpuState state = state(fallback, staff.live().size(), staff.idle().size(), staff.spawnPending());
        int waiting = Math.max(0, handoff.queued());
        return new CpuSnapshot(cpu, state, threads, waiting, active(waiting, threads.size(), fallback),
                stalledSince(timebase), counters());
    }

    /** The figures of {@link #snapshot} but the threads, read without the lock. */
    CpuStats stats(Timebase timebase) {
        boolean fallback = fallbackRunning;
        int threads = handoff.liveCount();
        CpuState state = state(fallback, threads, handoff.idleCount(), handoff.spawnPending());
        int waiting = Math.max(0, handoff.queued());
        return new CpuStats(cpu, state, threads, waiting, active(waiting, threads, fallback), stalledSince(timebase),
                counters());
    }

    /** The CPU's workers, which serve this workqueue alone, as a pool. */
    PoolStats poolStats() {
        return new PoolStats(cpu, List.of(owner.config.name()), handoff.liveCount(), handoff.idleCount(),
                Math.max(0, handoff.queued()), spawns.get(), idleExits.get(), shutdownExits.get(), failureExits.get(),
                spawnFailures.get());
    }

    /** @return live workers, read without the lock */
    int liveWorkers() {
        return handoff.liveCount();
    }

    private static CpuState state(boolean fallback, int live, int idle, boolean spawnPending) {
        if (fallback) {
            return CpuState.FALLBACK;
        }
        if (live == 0) {
            return spawnPending ? CpuState.STARTING : CpuState.NO_THREAD;
        }
        return idle >= live ? CpuState.IDLE : CpuState.RUNNING;
    }

    /** Tasks in flight that are not waiting, at most one per thread that can run them. */
    private int active(int waiting, int threads, boolean fallback) {
        long running = inflight.get(0) + inflight.get(1) - waiting;
        return (int) Math.max(0, Math.min(running, Math.max(threads, fallback ? 1 : 0)));
    }

    private @Nullable Instant stalledSince(Timebase timebase) {
        Long stuckSince = stuckFallbackSince();
        return stuckSince != null ? timebase.at(stuckSince) : stalled ? timebase.at(stalledSinceNanos) : null;
    }

    private CpuCounters counters() {
        return new CpuCounters(spawns.get(), idleExits.get(), shutdownExits.get(), failureExits.get(), spawnFailures.get(),
                fallbackRuns.get(), completed.sum(), failed.sum(), rejected.sum());
    }
}
