package io.lazyworkqueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The workers of one CPU, shared by every workqueue whose {@link PoolKey} matches. Its queue holds
 * the active tasks of all those workqueues in the order they became active, so a worker takes the
 * next task of any of them and none can starve another by volume.
 *
 * <p>A submitter starts a worker only when the pool has none; the {@link Manager} adds one when
 * work waits and every worker is stuck in a task (see {@link StuckWorkers}), up to the sum of the
 * workqueues' {@code maxActive}.
 */
final class WorkerPool implements Handoff.Owner {

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    /** Tasks the manager runs for a pool without workers before it turns to its other duties. */
    private static final int FALLBACK_BATCH = 64;

    /** The stall watchdog looks at most this often, however small its threshold. */
    private static final long MIN_WATCHDOG_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Times a worker that has been draining a burst yields for more work before it parks. */
    private static final int YIELDS_BEFORE_IDLE = 8;

    final PoolKey key;

    final int cpu;

    final Manager manager;

    private final Handoff<Work, Worker> handoff = new Handoff<>(this);

    /** Whether no active task waits on the pool, made once: it is read after every task. */
    private final BooleanSupplier queueEmpty = handoff::isEmpty;

    private final CopyOnWriteArrayList<CpuSlot> slots = new CopyOnWriteArrayList<>();

    private final StuckWorkers stuck;

    private volatile boolean retired;

    /** The workqueue whose termination retired the pool: its log hears how the workers left. */
    private volatile @Nullable LazyWorkqueue lastServed;

    /** Whether a worker creation failed and {@link #retryAfterNanos} is still to be checked; under the hand-off's lock. */
    private boolean coolingDown;

    private long retryAfterNanos;

    private int spawnSequence;

    private volatile boolean fallbackRunning;

    private final AtomicLong spawns = new AtomicLong();

    private final AtomicLong idleExits = new AtomicLong();

    private final AtomicLong shutdownExits = new AtomicLong();

    private final AtomicLong failureExits = new AtomicLong();

    private final AtomicLong spawnFailures = new AtomicLong();

    WorkerPool(PoolKey key, int cpu, Manager manager) {
        this.key = key;
        this.cpu = cpu;
        this.manager = manager;
        this.stuck = new StuckWorkers(key.concurrencyThresholdNanos());
        manager.adopt(this);
    }

    void attach(CpuSlot slot) {
        slots.add(slot);
        updateCap();
    }

    /** @return whether the pool serves nobody now */
    boolean detach(CpuSlot slot) {
        slots.remove(slot);
        updateCap();
        if (!slots.isEmpty()) {
            return false;
        }
        lastServed = slot.owner();
        return true;
    }

    private void updateCap() {
        handoff.cap(Math.max(1, slots.stream().mapToInt(CpuSlot::maxActive).sum()));
    }

    /** Lets idle workers exit: the pool serves no workqueue any more. */
    void retire() {
        retired = true;
        handoff.wakeIdle();
        manager.forget(this);
    }

    @Override
    public boolean isRetired() {
        return retired;
    }

    /**
     * Queues an active task.
     * @return whether a thread is sure to come for it; if not, the caller makes sure the manager
     * watches
     */
    boolean enqueue(Work work) {
        return handoff.enqueue(work);
    }

    /** @return whether the task was still queued, so that its submitter owns it again */
    boolean takeBack(Work work) {
        return handoff.takeBack(work);
    }

    /** Takes out every queued task of one workqueue CPU, for {@code shutdownNow()}. */
    void drain(CpuSlot slot, List<Work> taken) {
        for (Work work : handoff.snapshotQueue()) {
            if (work.slot == slot && handoff.takeBack(work)) {
                taken.add(work);
            }
        }
    }

    /** Interrupts the workers running a task of one workqueue CPU, for {@code shutdownNow()}. */
    void interrupt(CpuSlot slot) {
        handoff.staff().live().forEach(worker -> worker.interruptIfServing(slot));
    }

    /**
     * A submitter took a reservation for the pool's first worker: start it here, in the
     * submitter's thread, or ask the manager, which runs the work itself when no worker can be had.
     * @throws java.util.concurrent.RejectedExecutionException if the manager cannot start either
     */
    @Override
    public void spawnRequested() {
        record(WorkqueueEventType.SPAWN_REQUESTED, Thread.currentThread().getName(),
                handoff.queued() + " task(s) queued, no worker");
        if (coolingDown(key.clock().nanoTime()) || startWorker() != null) {
            manager.requestSpawn(this);
        }
    }

    /**
     * Takes a reservation for another worker when work waits and every worker is stuck, for the
     * manager's look.
     */
    boolean mayGrow(long now) {
        return !handoff.isEmpty() && handoff.idleCount() == 0 && !handoff.spawnPending()
                && stuck.allStuck(handoff.staff().live(), now) && handoff.grow();
    }

    /**
     * Starts a worker under the reservation held.
     * @return {@code null} if a thread runs or will run the worker; else why none could be started,
     * with the reservation still held and the cool-down begun
     */
    @Nullable Throwable startWorker() {
        Worker worker = newWorker();
        try {
            Thread thread = key.threadFactory().newThread(worker);
            if (thread == null) {
                throw new IllegalStateException("thread factory " + key.threadFactory() + " returned no thread");
            }
            thread.setName(worker.record.name());
            thread.start();
            if (!key.ownThreadFactory()) {
                // A user's factory may hand back a thread that never runs the worker.
                manager.watchStart(this, worker, key.clock().nanoTime() + key.spawnRetryNanos());
            }
            return null;
        }
        catch (Throwable ex) {
            // The factory failed, or the JVM could not create a native thread. A factory may have
            // started the thread itself, and that thread may already run the worker.
            if (!worker.abandon()) {
                return null;
            }
            spawnFailed(worker.record.name(), ex);
            return ex;
        }
    }

    private Worker newWorker() {
        handoff.lock.lock();
        try {
            int number = spawnSequence++;
            return new Worker(this, number, threadName(slots.isEmpty() ? null : slots.get(0), number));
        }
        finally {
            handoff.lock.unlock();
        }
    }

    private String threadName(@Nullable CpuSlot slot, int number) {
        return (slot != null ? slot.threadNamePrefix() : "lazy-workqueue/") + cpu + ":" + number;
    }

    /** Whether a worker creation failed so recently that the pool should not try again yet. */
    boolean coolingDown(long now) {
        handoff.lock.lock();
        try {
            if (coolingDown && now - retryAfterNanos >= 0) {
                coolingDown = false;
            }
            return coolingDown;
        }
        finally {
            handoff.lock.unlock();
        }
    }

    /**
     * Records a worker creation that failed, and starts the cool-down.
     * @param threadName the name the worker would have had
     * @param why the error, or what went wrong
     */
    void spawnFailed(String threadName, Object why) {
        long now = key.clock().nanoTime();
        spawnFailures.incrementAndGet();
        handoff.lock.lock();
        try {
            retryAfterNanos = now + key.spawnRetryNanos();
            coolingDown = true;
        }
        finally {
            handoff.lock.unlock();
        }
        record(WorkqueueEventType.SPAWN_FAILED, threadName, String.valueOf(why));
    }

    /** Gives up a reservation without starting a worker. */
    void cancelSpawn() {
        handoff.cancelSpawn();
    }

    /**
     * Runs queued work on the calling manager thread, under the reservation the spawn holds, then
     * gives the reservation back and asks again if work remains.
     */
    void runFallback(ThreadRecord manager, String why) {
        int ran = 0;
        fallbackRunning = true;
        try {
            while (ran < FALLBACK_BATCH) {
                Work work = handoff.poll();
                if (work == null) {
                    break;
                }
                work.slot.runFallback(work, manager);
                ran++;
            }
        }
        finally {
            fallbackRunning = false;
            LazyWorkqueue.CURRENT.remove();
            cancelSpawn();
        }
        if (ran > 0) {
            record(WorkqueueEventType.FALLBACK_RUN, manager.name(),
                    "ran " + ran + " task(s) of CPU " + cpu + " on the manager thread: " + why);
        }
        if (!handoff.isEmpty()) {
            handoff.wake();
        }
    }

    void runWorker(Worker worker) {
        WorkqueueEventType exit = null;
        Throwable failure = null;
        try {
            workerStarted(worker);
            while (exit == null) {
                Work work = handoff.poll();
                if (work == null) {
                    exit = awaitWork(worker);
                }
                else {
                    run(work, worker);
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
            workerExited(worker, exit, failure);
        }
    }

    /** Runs a task, and the tasks of the same workqueue CPU its turn is handed on to. */
    private void run(Work first, Worker worker) {
        Work work = first;
        do {
            CpuSlot slot = work.slot;
            if (!worker.serves(slot)) {
                turn(worker, slot);
            }
            worker.tasksStarted++;
            worker.busy = true;
            try {
                work = slot.runThenTakeNext(work, worker.record, queueEmpty);
            }
            finally {
                worker.busy = false;
            }
            worker.tasksSinceIdle++;
        }
        while (work != null);
    }

    /** Points the worker at another workqueue: its name, its thread-local and its interrupts. */
    private void turn(Worker worker, CpuSlot slot) {
        worker.turnTo(slot);
        String name = threadName(slot, worker.number);
        if (!name.equals(worker.record.name())) {
            worker.record.rename(name);
            Thread.currentThread().setName(name);
        }
        LazyWorkqueue.CURRENT.set(slot.owner());
    }

    private void workerStarted(Worker worker) {
        int liveWorkers = handoff.started(worker);
        worker.record.started(key.clock());
        spawns.incrementAndGet();
        record(WorkqueueEventType.SPAWNED, worker.record.name(), "tid " + worker.record.nativeThreadId + ", worker "
                + liveWorkers + " of the pool of CPU " + cpu);
        worker.record.pinnedCpu = pin(worker.record.name());
    }

    /**
     * Pins the calling worker to the pool's CPU when affinity is strict; else lets it run anywhere,
     * whatever it inherited from the thread that started it.
     * @return the CPU it is pinned to, or {@code null} if it runs unpinned
     */
    private @Nullable Integer pin(String threadName) {
        Affinity platform = key.platform();
        if (key.affinity() == AffinityMode.NONE) {
            try {
                platform.unpinCurrentThread();
            }
            catch (AffinityException ex) {
                logger.log(System.Logger.Level.DEBUG, "Worker " + threadName + " could not unpin itself", ex);
            }
            return null;
        }
        try {
            platform.pinCurrentThread(cpu);
            record(WorkqueueEventType.PINNED, threadName, "pinned to CPU " + cpu);
            return cpu;
        }
        catch (AffinityException ex) {
            record(WorkqueueEventType.PIN_FAILED, threadName, ex.getMessage());
            // Where the platform cannot pin at all, it warns once for every workqueue itself.
            if (platform.unavailableReason() == null) {
                workqueues().forEach(workqueue -> workqueue.pinFailed(ex));
            }
            return null;
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
        worker.record.lastActiveNanos = key.clock().nanoTime();
        WorkqueueEventType exit = handoff.awaitWork(worker, key.clock(),
                worker.record.lastActiveNanos + key.idleTimeoutNanos());
        if (exit != null && !handoff.isEmpty()) {
            // It could not come back for work queued as it left: the pool is at its cap, so the
            // manager must watch the others.
            try {
                manager.watch();
            }
            catch (RejectedExecutionException ex) {
                // No thread can be started: the pool's other workers take the work as they finish.
                logger.log(System.Logger.Level.DEBUG, "No manager watches the pool of CPU " + cpu, ex);
            }
        }
        return exit;
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

    /**
     * Accounts for a worker whose thread is about to end.
     * @param exit why it exited, already announced; {@code null} if it broke
     * @param failure what broke it, if it did
     */
    private void workerExited(Worker worker, @Nullable WorkqueueEventType exit, @Nullable Throwable failure) {
        LazyWorkqueue.CURRENT.remove();
        if (exit == null) {
            failureExits.incrementAndGet();
            record(WorkqueueEventType.WORKER_FAILED, worker.record.name(), String.valueOf(failure));
            handoff.failed(worker);
        }
        else {
            (exit == WorkqueueEventType.IDLE_EXIT ? idleExits : shutdownExits).incrementAndGet();
            record(exit, worker.record.name(), "ran " + worker.record.completed() + " task(s)");
        }
        if (handoff.liveCount() == 0) {
            // A manager that stayed for the pool's workers may leave now.
            manager.signal();
        }
    }

    /**
     * The stall watchdog's look at each workqueue CPU of the pool, on the manager.
     * @return how long until the next look is due, by the clock: a quarter of the smallest
     * threshold of a workqueue with waiting work, at least 10 ms; {@link Long#MAX_VALUE} if none
     * waits or none has a watchdog
     */
    long watch(long now) {
        long period = Long.MAX_VALUE;
        for (CpuSlot slot : slots) {
            long threshold = slot.watchdogNanos();
            if (slot.watch(now) && threshold > 0) {
                period = Math.min(period, Math.max(threshold / 4, MIN_WATCHDOG_PERIOD_NANOS));
            }
        }
        return period;
    }

    /** @return whether active work waits on the pool's queue for a worker */
    boolean hasReadyWork() {
        return !handoff.isEmpty();
    }

    /** @return the workqueues the pool serves */
    List<LazyWorkqueue> workqueues() {
        List<LazyWorkqueue> workqueues = new ArrayList<>(slots.size());
        slots.forEach(slot -> workqueues.add(slot.owner()));
        return workqueues;
    }

    /**
     * @return whether the manager must stay for the pool: active work waits for a worker, or work
     * waits on a workqueue CPU whose stall watchdog is on
     */
    boolean needsManager() {
        if (!handoff.isEmpty()) {
            return true;
        }
        for (CpuSlot slot : slots) {
            if (slot.watchdogNanos() > 0 && slot.queued() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Records a pool event in the log of every workqueue the pool serves. */
    void record(WorkqueueEventType type, String thread, String detail) {
        LazyWorkqueue last = lastServed;
        if (slots.isEmpty() && last != null) {
            last.events.record(cpu, type, thread, detail);
        }
        for (CpuSlot slot : slots) {
            slot.owner().events.record(cpu, type, thread, detail);
        }
    }

    /** @return the workers of the pool, the idle ones among them and a pending spawn, read together */
    Handoff.Staff<Worker> staff() {
        return handoff.staff();
    }

    /** @return what the pool's busy workers are doing, so that a stall report says what holds the work up */
    String describeBusyWorkers() {
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
        StringBuilder text = new StringBuilder("; the pool's busy worker(s):");
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
        return text.append(" (a task that waits for work queued behind it on its own CPU waits forever once the CPU runs"
                + " maxActive tasks of its workqueue or its pool has as many workers as it may)").toString();
    }

    /** @return what the workqueue CPU is doing, as far as its pool's threads tell */
    CpuState state() {
        if (fallbackRunning) {
            return CpuState.FALLBACK;
        }
        int live = handoff.liveCount();
        if (live == 0) {
            return handoff.spawnPending() ? CpuState.STARTING : CpuState.NO_THREAD;
        }
        return handoff.idleCount() >= live ? CpuState.IDLE : CpuState.RUNNING;
    }

    /** @return live workers, read without the lock */
    int liveWorkers() {
        return handoff.liveCount();
    }

    PoolStats stats() {
        List<String> queues = new ArrayList<>(slots.size());
        workqueues().forEach(workqueue -> queues.add(workqueue.name()));
        return new PoolStats(cpu, queues, handoff.liveCount(), handoff.idleCount(), Math.max(0, handoff.queued()),
                spawns.get(), idleExits.get(), shutdownExits.get(), failureExits.get(), spawnFailures.get());
    }

    /** The pool's worker figures, as a workqueue CPU's counters show them. */
    CpuCounters counters(long fallbackRuns, long completed, long failed, long rejected) {
        return new CpuCounters(spawns.get(), idleExits.get(), shutdownExits.get(), failureExits.get(), spawnFailures.get(),
                fallbackRuns, completed, failed, rejected);
    }
}
