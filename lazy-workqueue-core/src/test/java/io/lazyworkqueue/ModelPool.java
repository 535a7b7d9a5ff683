package io.lazyworkqueue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * One CPU's worker pool around the real {@link Handoff}, as {@code WorkerPool} and {@code Manager}
 * drive it, cut down to what a model checker can explore: a reservation starts its worker at once
 * on a thread of its own, or, when the start fails, that thread runs the queued work as the
 * manager's fallback does; the manager's look at a pool whose workers are all stuck is a call to
 * {@link Handoff#grow()}; the clock stands still (an idle timeout passes at once or never); and
 * tasks count their runs. Everything that decides whether a task is run, lost or left to its
 * submitter is the real {@link Handoff}.
 */
final class ModelPool implements Handoff.Owner {

    final Handoff<Task, ModelWorker> handoff = new Handoff<>(this);

    private final long idleTimeoutNanos;

    private final Clock clock = new Clock();

    /** Worker and fallback threads, in the order they were started, each after its starter. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Reservations that were started, as a worker or as a fallback run. */
    private final AtomicInteger starts = new AtomicInteger();

    /**
     * Reservations started whose thread has not yet registered its worker or given the
     * reservation back, and the most of them at once: the hand-off lets one be pending at a time.
     */
    private final AtomicInteger starting = new AtomicInteger();

    private final AtomicInteger mostStarting = new AtomicInteger();

    /** Whether the next start fails, as when the JVM cannot create a thread. */
    private final AtomicBoolean failNextStart = new AtomicBoolean();

    /** The fewest and the most workers the hand-off counted after any change to the count. */
    private final AtomicInteger fewestWorkers = new AtomicInteger();

    private final AtomicInteger mostWorkers = new AtomicInteger();

    private volatile boolean retired;

    private volatile @Nullable Throwable failure;

    /**
     * @param cap the most workers the pool may have
     * @param idleTimeoutNanos how long a worker waits for work before it leaves; with 0 it leaves
     * as soon as it finds the queue empty, so that every idle moment races with submitters
     */
    ModelPool(int cap, long idleTimeoutNanos) {
        this.idleTimeoutNanos = idleTimeoutNanos;
        handoff.cap(cap);
    }

    @Override
    public boolean isRetired() {
        return retired;
    }

    @Override
    public void spawnRequested() {
        start();
    }

    /**
     * Queues a task as a submitter of {@code CpuSlot.execute} does.
     * @return whether a thread is sure to come for it
     */
    boolean enqueue(Task task) {
        boolean threadComing = handoff.enqueue(task);
        noteWorkers();
        return threadComing;
    }

    /**
     * Queues a task, and when no thread is sure to come, looks at the pool as the manager it asks
     * to watch would, at once.
     */
    void submit(Task task) {
        if (!enqueue(task)) {
            look();
        }
    }

    /** The manager's look at a pool whose workers are all stuck: it adds one if the hand-off lets it. */
    void look() {
        if (handoff.grow()) {
            noteWorkers();
            start();
        }
    }

    /** Lets idle workers leave, as {@code WorkerPool.retire()} does. */
    void retire() {
        retired = true;
        handoff.wakeIdle();
    }

    /** The next start fails, and the manager runs the work itself under the reservation. */
    void failNextStart() {
        failNextStart.set(true);
    }

    /** @return how many reservations were started, as a worker or as a fallback run */
    int starts() {
        return starts.get();
    }

    /** @return the fewest workers the hand-off counted at any moment the model looked */
    int fewestWorkers() {
        return fewestWorkers.get();
    }

    /** @return the most workers the hand-off counted at any moment the model looked */
    int mostWorkers() {
        return mostWorkers.get();
    }

    /** @return the most reservations that were being started at once */
    int mostStarting() {
        return mostStarting.get();
    }

    /** Waits for every worker and fallback thread, also those started while it waits. */
    void joinThreads() throws InterruptedException {
        // A thread is added before it starts, by a thread added before it, so the index catches up.
        for (int i = 0; i < threads.size(); i++) {
            threads.get(i).join();
        }
    }

    /** @return what a worker or fallback thread threw, if one did: Lincheck sees only the main thread fail */
    @Nullable Throwable failure() {
        return failure;
    }

    /** Starts the thread of a reservation just taken, as {@code WorkerPool.startWorker()} and the manager's fallback. */
    private void start() {
        starts.incrementAndGet();
        mostStarting.accumulateAndGet(starting.incrementAndGet(), Math::max);
        Thread thread = new Thread(failNextStart.compareAndSet(true, false) ? this::runFallback : this::runWorker);
        threads.add(thread);
        thread.start();
    }

    private void runWorker() {
        try {
            serve(new ModelWorker());
        }
        catch (Throwable ex) {
            failure = ex;
        }
    }

    /** The loop of {@code WorkerPool.runWorker}, less events, pinning, timing and the yields before idling. */
    private void serve(ModelWorker worker) {
        // Counted down before the hand-off clears its pending spawn, so that the count never lags behind it.
        starting.decrementAndGet();
        handoff.started(worker);
        WorkqueueEventType exit = null;
        while (exit == null) {
            Task task = handoff.poll();
            if (task == null) {
                // The clock stands at zero: the deadline is the idle timeout.
                exit = handoff.awaitWork(worker, clock, idleTimeoutNanos);
                noteWorkers();
                if (exit != null && !handoff.isEmpty()) {
                    // As WorkerPool.awaitWork: it could not come back for work queued as it left.
                    look();
                }
            }
            else {
                task.run();
            }
        }
    }

    /** {@code WorkerPool.runFallback}: the queued work runs under the reservation, which is then given back. */
    private void runFallback() {
        try {
            Task task;
            while ((task = handoff.poll()) != null) {
                task.run();
            }
        }
        catch (Throwable ex) {
            failure = ex;
        }
        finally {
            starting.decrementAndGet();
            handoff.cancelSpawn();
            noteWorkers();
        }
        if (!handoff.isEmpty()) {
            handoff.wake();
            noteWorkers();
        }
    }

    private void noteWorkers() {
        int workers = handoff.workers();
        fewestWorkers.accumulateAndGet(workers, Math::min);
        mostWorkers.accumulateAndGet(workers, Math::max);
    }

    /** A worker as the hand-off sees it. */
    static final class ModelWorker extends Handoff.Waiter {
    }

    /** A clock that stands at zero: a deadline of zero has passed, any later one never comes. */
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
