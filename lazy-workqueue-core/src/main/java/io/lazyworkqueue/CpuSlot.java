package io.lazyworkqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * One CPU of a workqueue: its queue, its workers and its counters.
 *
 * <p>Submitters queue without a lock; the lock guards only worker transitions (start, idle,
 * wake, exit). The one race that could lose work, a worker deciding to exit while a task is
 * queued, is closed from both sides: a worker announces that it goes idle or exits and then looks
 * at the queue again, and a submitter queues and then looks at the announcements.
 */
final class CpuSlot {

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    /** Tasks the core thread runs for a CPU before it turns to its other duties. */
    private static final int FALLBACK_BATCH = 64;

    /** Times a worker that has been draining a burst yields for more work before it parks. */
    private static final int YIELDS_BEFORE_IDLE = 8;

    final int cpu;

    private final LazyWorkqueue owner;

    private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();

    /** Tasks queued, plus those whose submitter has reserved room and is about to queue. */
    private final AtomicInteger queued = new AtomicInteger();

    /** Tasks queued or running, per flush generation. */
    final AtomicLongArray inflight = new AtomicLongArray(2);

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition notFull = lock.newCondition();

    /** Live workers plus a reservation for one being started or for a fallback run. */
    private volatile int workers;

    /** Workers on {@link #idleWorkers}. */
    private volatile int idle;

    /** Workers running a task; kept only where a CPU may have more than one worker. */
    private final AtomicInteger running = new AtomicInteger();

    private volatile int blockedProducers;

    private volatile boolean fallbackRunning;

    private final ArrayDeque<Worker> idleWorkers = new ArrayDeque<>();

    private final List<Worker> live = new ArrayList<>();

    private boolean spawnPending;

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
        queued.incrementAndGet();
        enqueue(task, false);
    }

    private void enqueue(Runnable task, boolean retractOnShutdown) {
        Work work;
        try {
            work = queueWork(task);
        }
        catch (Throwable ex) {
            // An Error (a full heap, a failing clock) before the task reached the queue: give
            // back the room it reserved, so no phantom task holds up the watchdog or shutdown.
            dequeued();
            throw ex;
        }
        try {
            if (retractOnShutdown && owner.isShutdown()) {
                retract(work);
            }
            else if (needsWake()) {
                wake();
            }
        }
        catch (RejectedExecutionException ex) {
            throw ex;
        }
        catch (Throwable ex) {
            // The task may have no thread to run it: take it back if nobody has, and tell the
            // caller; if a thread has it already, it was accepted and runs.
            if (queue.remove(work)) {
                dequeued();
                owner.flushBarrier.exit(inflight, work.generation);
                owner.core.signal();
            }
            throw ex;
        }
    }

    /** Counts the task in the flush generations and queues it; undoes the count if that fails. */
    private Work queueWork(Runnable task) {
        boolean timed = owner.taskTimingListener != null;
        long queuedNanos = timed ? owner.clock.nanoTime() : 0;
        int generation = owner.flushBarrier.enter(inflight);
        try {
            Work work = new Work(task, generation, timed, queuedNanos);
            queue.offer(work);
            return work;
        }
        catch (Throwable ex) {
            owner.flushBarrier.exit(inflight, generation);
            throw ex;
        }
    }

    /** The workqueue shut down while the task was being queued: take it back if nobody has. */
    private void retract(Work work) {
        if (queue.remove(work)) {
            dequeued();
            owner.flushBarrier.exit(inflight, work.generation);
            owner.core.signal();
            throw countRejected(owner.rejectedAfterShutdown());
        }
        // A worker or shutdownNow() has it: it was accepted.
        if (needsWake()) {
            wake();
        }
    }

    private boolean reserveRoom(Runnable task) {
        int capacity = owner.config.queueCapacity();
        if (capacity == Integer.MAX_VALUE) {
            queued.incrementAndGet();
            return true;
        }
        for (;;) {
            int current = queued.get();
            if (current < capacity) {
                if (queued.compareAndSet(current, current + 1)) {
                    return true;
                }
                continue;
            }
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

    private @Nullable Work poll() {
        Work work = queue.poll();
        if (work != null) {
            dequeued();
        }
        return work;
    }

    private void dequeued() {
        queued.decrementAndGet();
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

    /**
     * Whether queued work may lack a thread: a worker is idle, or every worker is busy with a task
     * (none at all counts) and the CPU may have more. A worker between two tasks is not busy: it
     * looks at the queue again before it goes idle.
     */
    private boolean needsWake() {
        return idle > 0 || mayGrow();
    }

    private boolean mayGrow() {
        int current = workers;
        return current < owner.maxActive && running.get() >= current;
    }

    /**
     * Makes sure queued work has a thread: wakes an idle worker, or asks the core thread for a new
     * one while the CPU has fewer than {@code maxActive} and all of them are busy.
     */
    void wake() {
        Worker idleWorker;
        lock.lock();
        try {
            idleWorker = idleWorkers.pollFirst();
            if (idleWorker != null) {
                idle--;
                idleWorker.woken = true;
            }
            else if (spawnPending || !mayGrow() || queue.isEmpty() || owner.isStopped()) {
                return;
            }
            else {
                workers++;
                spawnPending = true;
            }
        }
        finally {
            lock.unlock();
        }
        if (idleWorker != null) {
            LockSupport.unpark(idleWorker.thread);
            return;
        }
        try {
            owner.events.record(cpu, WorkqueueEventType.SPAWN_REQUESTED, owner.core.name(),
                    queued.get() + " task(s) queued, no worker free");
            owner.core.requestSpawn(this);
        }
        catch (Throwable ex) {
            // Without the request nobody would ever release the reservation.
            cancelSpawn();
            throw ex;
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
        lock.lock();
        try {
            workers--;
            spawnPending = false;
        }
        finally {
            lock.unlock();
        }
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
        if (!queue.isEmpty()) {
            wake();
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
        running.incrementAndGet();
        try {
            if (!queue.isEmpty() && needsWake()) {
                // More work waits behind this task: a submitter that queued it while this
                // worker was still starting could not grow the CPU then.
                wake();
            }
        }
        finally {
            try {
                runTask(work, worker.record);
            }
            finally {
                running.decrementAndGet();
            }
        }
    }

    private void workerStarted(Worker worker) {
        int liveWorkers;
        lock.lock();
        try {
            worker.thread = Thread.currentThread();
            live.add(worker);
            spawnPending = false;
            liveWorkers = live.size();
        }
        finally {
            lock.unlock();
        }
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
        TaskTimingListener timing = work.timed ? owner.taskTimingListener : null;
        long started = 0;
        if (timing != null) {
            try {
                started = owner.clock.nanoTime();
            }
            catch (Throwable ex) {
                // The task is taken: it runs, untimed.
                owner.timingFailed(timing, ex);
                timing = null;
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
                if (timing != null) {
                    owner.taskTimed(timing, cpu, work.queuedNanos, started);
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
        lock.lock();
        try {
            worker.woken = false;
            idleWorkers.addFirst(worker);
            idle++;
        }
        finally {
            lock.unlock();
        }
        boolean timedOut = false;
        if (queue.isEmpty()) {
            long deadline = worker.record.lastActiveNanos + owner.idleTimeoutNanos;
            while (!worker.woken && !owner.isShutdown()) {
                if (owner.clock.nanoTime() - deadline >= 0) {
                    timedOut = true;
                    break;
                }
                // A stray interrupt would make every park return at once; only unpark wakes a
                // worker, so each park starts with the flag clear.
                Thread.interrupted();
                owner.clock.parkUntil(this, deadline);
            }
        }
        WorkqueueEventType exit;
        lock.lock();
        try {
            if (worker.woken) {
                return null;
            }
            idleWorkers.remove(worker);
            idle--;
            boolean shutdown = owner.isShutdown();
            if (!(timedOut || shutdown) || !queue.isEmpty()) {
                return null;
            }
            workers--;
            live.remove(worker);
            exit = shutdown ? WorkqueueEventType.SHUTDOWN_EXIT : WorkqueueEventType.IDLE_EXIT;
        }
        finally {
            lock.unlock();
        }
        // A submitter that queued before the announcement saw this worker and asked for no other.
        return !queue.isEmpty() && revive(worker) ? null : exit;
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
                if (!queue.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean revive(Worker worker) {
        lock.lock();
        try {
            if (workers >= owner.maxActive || owner.isStopped()) {
                return false;
            }
            workers++;
            live.add(worker);
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    private WorkqueueEventType retire(Worker worker) {
        lock.lock();
        try {
            workers--;
            live.remove(worker);
        }
        finally {
            lock.unlock();
        }
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
            lock.lock();
            try {
                if (idleWorkers.remove(worker)) {
                    idle--;
                }
                // Give up the place the worker held: as a live worker, or as the reservation
                // it was started under if it broke before it registered.
                if (live.remove(worker) || worker.thread == null) {
                    workers--;
                }
                if (worker.thread == null) {
                    spawnPending = false;
                }
            }
            finally {
                lock.unlock();
            }
            failureExits.incrementAndGet();
            owner.events.record(cpu, WorkqueueEventType.WORKER_FAILED, worker.record.name, String.valueOf(failure));
            if (!queue.isEmpty()) {
                wake();
            }
        }
        else {
            (exit == WorkqueueEventType.IDLE_EXIT ? idleExits : shutdownExits).incrementAndGet();
            owner.events.record(cpu, exit, worker.record.name, "ran " + worker.record.completed() + " task(s)");
        }
    }

    /** Lets idle workers and blocked submitters see that the workqueue shut down. */
    void wakeForShutdown() {
        List<Worker> parked;
        lock.lock();
        try {
            parked = new ArrayList<>(idleWorkers);
            notFull.signalAll();
        }
        finally {
            lock.unlock();
        }
        parked.forEach(worker -> LockSupport.unpark(worker.thread));
    }

    /** Hands back every queued task and interrupts the running ones, for {@code shutdownNow()}. */
    void stop(List<Runnable> neverRan) {
        drain(neverRan);
        lock.lock();
        try {
            for (Worker worker : live) {
                Thread thread = worker.thread;
                if (thread != null) {
                    thread.interrupt();
                }
            }
        }
        finally {
            lock.unlock();
        }
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
        int waiting = queued.get();
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
        return workers > 0 || waiting > 0;
    }

    /** What the CPU's workers are doing, so that a stall report says what holds the work up. */
    private String describeWorkers() {
        List<Thread> threads = new ArrayList<>();
        lock.lock();
        try {
            for (Worker worker : live) {
                Thread thread = worker.thread;
                if (thread != null && !idleWorkers.contains(worker)) {
                    threads.add(thread);
                }
            }
        }
        finally {
            lock.unlock();
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
    @Nullable Long stuckFallbackSince(long now) {
        long thresholdNanos = owner.watchdogNanos;
        if (!fallbackRunning || thresholdNanos == 0) {
            return null;
        }
        long task = fallbackTasksStarted;
        long since = fallbackTaskStartedNanos;
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
        return workers == 0 && queued.get() == 0;
    }

    CpuSnapshot snapshot(Timebase timebase) {
        List<ThreadSnapshot> threads = new ArrayList<>();
        CpuState state;
        lock.lock();
        try {
            live.forEach(worker -> threads.add(worker.record.snapshot(timebase)));
            if (fallbackRunning) {
                state = CpuState.FALLBACK;
            }
            else if (live.isEmpty()) {
                state = spawnPending ? CpuState.STARTING : CpuState.NO_THREAD;
            }
            else {
                state = idle == live.size() ? CpuState.IDLE : CpuState.RUNNING;
            }
        }
        finally {
            lock.unlock();
        }
        int waiting = Math.max(0, queued.get());
        long running = inflight.get(0) + inflight.get(1) - waiting;
        int active = (int) Math.max(0, Math.min(running, Math.max(threads.size(), fallbackRunning ? 1 : 0)));
        Long stuckSince = stuckFallbackSince(owner.clock.nanoTime());
        Instant stalledSince = stuckSince != null ? timebase.at(stuckSince)
                : stalled ? timebase.at(stalledSinceNanos) : null;
        return new CpuSnapshot(cpu, state, threads, waiting, active, stalledSince, new CpuCounters(spawns.get(), idleExits.get(),
                shutdownExits.get(), failureExits.get(), spawnFailures.get(), fallbackRuns.get(), completed.sum(), failed.sum(),
                rejected.sum()));
    }
}
