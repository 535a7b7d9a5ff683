package io.lazyworkqueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * One CPU's {@link Handoff} with the threads around it, as {@code CpuSlot}, {@code CoreThread} and
 * {@code LazyWorkqueue} drive it, cut down to what a model checker can explore: a spawn request
 * starts its worker at once, the clock stands still (an idle timeout passes at once or never), and
 * tasks count their runs.
 * Everything that decides whether a task is run, lost or rejected is the real {@link Handoff}.
 */
final class ModelSlot implements Handoff.Owner {

    private static final int RUNNING = 0;

    private static final int SHUTDOWN = 1;

    private static final int STOP = 2;

    final Handoff<Task, Worker> handoff;

    private final int maxActive;

    private final long idleTimeoutNanos;

    private final Clock clock = new Clock();

    private final AtomicInteger state = new AtomicInteger(RUNNING);

    private final List<Thread> workerThreads = new CopyOnWriteArrayList<>();

    /** Tasks that have run, as the core thread's termination check would see them. */
    private final AtomicInteger completed = new AtomicInteger();

    private volatile @Nullable Thread core;

    private volatile int completedAtTermination = -1;

    private volatile @Nullable Throwable workerFailure;

    /**
     * @param maxActive workers the CPU may have at once
     * @param idleTimeoutNanos how long a worker waits for work before it leaves; with 0 it leaves
     * as soon as it finds the queue empty, so that every idle moment races with submitters
     */
    ModelSlot(int maxActive, long idleTimeoutNanos) {
        this.maxActive = maxActive;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.handoff = new Handoff<>(maxActive, this);
    }

    @Override
    public boolean isShutdown() {
        return state.get() >= SHUTDOWN;
    }

    @Override
    public boolean isStopped() {
        return state.get() >= STOP;
    }

    @Override
    public void spawnRequested() {
        Thread thread = new Thread(this::runWorker);
        workerThreads.add(thread);
        thread.start();
    }

    /**
     * Submits a task as {@code LazyWorkqueue.execute} does on an unbounded queue.
     * @return whether it was accepted
     */
    boolean submit(Task task) {
        if (isShutdown()) {
            return false;
        }
        handoff.tryReserve(Integer.MAX_VALUE);
        if (!handoff.enqueue(task, true)) {
            signalCore();
            return false;
        }
        return true;
    }

    void shutdown() {
        if (state.compareAndSet(RUNNING, SHUTDOWN)) {
            handoff.wakeForShutdown();
            signalCore();
        }
    }

    /** @return the tasks that never ran */
    List<Task> shutdownNow() {
        state.set(STOP);
        List<Task> neverRan = new ArrayList<>();
        handoff.drainTo(neverRan);
        handoff.wakeForShutdown();
        signalCore();
        return neverRan;
    }

    /**
     * Starts the stand-in of the core thread's termination check: once shut down, it looks each
     * time it is signalled whether the CPU is quiescent, and then notes how many tasks had run.
     */
    Thread startCore() {
        Thread thread = new Thread(() -> {
            while (!(isShutdown() && handoff.quiescent())) {
                LockSupport.park(this);
            }
            completedAtTermination = completed.get();
        });
        core = thread;
        thread.start();
        return thread;
    }

    /** @return how many tasks had run when the core thread declared termination; -1 before that */
    int completedAtTermination() {
        return completedAtTermination;
    }

    void joinWorkers() throws InterruptedException {
        for (Thread thread : workerThreads) {
            thread.join();
        }
    }

    private void signalCore() {
        Thread thread = core;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** @return what a worker thread threw, if one did: Lincheck sees only the main thread fail */
    @Nullable Throwable workerFailure() {
        return workerFailure;
    }

    private void runWorker() {
        try {
            serve();
        }
        catch (Throwable ex) {
            workerFailure = ex;
        }
    }

    /** The loop of {@code CpuSlot.runWorker}, less events, timing and failure handling. */
    private void serve() {
        if (isStopped()) {
            // As the core thread does with a request it has not served before shutdownNow().
            handoff.cancelSpawn();
            return;
        }
        Worker worker = new Worker();
        handoff.started(worker);
        WorkqueueEventType exit = null;
        while (exit == null) {
            Task task = isStopped() ? null : handoff.poll();
            if (task == null) {
                if (isStopped()) {
                    handoff.retire(worker);
                    exit = WorkqueueEventType.SHUTDOWN_EXIT;
                }
                else {
                    exit = handoff.awaitWork(worker, clock, idleTimeoutNanos);
                }
            }
            else if (maxActive == 1) {
                run(task);
            }
            else {
                handoff.taskStarted();
                try {
                    run(task);
                }
                finally {
                    handoff.taskFinished();
                }
            }
        }
        if (isShutdown()) {
            signalCore();
        }
    }

    private void run(Task task) {
        task.run();
        completed.incrementAndGet();
    }

    /** A worker as the hand-off sees it. */
    static final class Worker extends Handoff.Waiter {
    }

    /** A clock that stands at zero. */
    private static final class Clock implements WorkqueueClock {

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public void parkUntil(Object blocker, long deadlineNanos) {
            if (deadlineNanos > 0) {
                LockSupport.park(blocker);
            }
        }
    }

    /** A task that counts how often it ran and wakes a thread that waits for it. */
    static final class Task implements Runnable {

        private final AtomicInteger runs = new AtomicInteger();

        private volatile @Nullable Thread waiter;

        @Override
        public void run() {
            runs.incrementAndGet();
            Thread thread = waiter;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }

        int runs() {
            return runs.get();
        }

        /** Parks the calling thread until the task has run; a task that never runs leaves it parked. */
        void awaitRun() {
            waiter = Thread.currentThread();
            while (runs.get() == 0) {
                LockSupport.park(this);
            }
        }
    }
}
