package io.lazyworkqueue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The hand-off between the submitters of one CPU and the threads that serve its queue: every
 * queued task has a thread coming for it, or its submitter takes it back and rejects it.
 *
 * <p>Submitters queue without a lock, then look at the workers' announcements. A worker
 * announces under the lock that it goes idle or leaves, then looks at the queue again. Both sides
 * write first and read afterwards, so at least one sees the other (docs/architecture.md, "The exit
 * race and how it is closed"). The same pairing holds for shutdown: a submitter reserves room,
 * queues and then reads the workqueue's state; shutdown writes the state and then checks
 * {@link #quiescent()}.
 *
 * @param <E> the queued work
 * @param <W> the workers
 */
final class Handoff<E, W extends Handoff.Waiter> {

    /** A thread that serves the queue, as the hand-off sees it. */
    abstract static class Waiter {

        /** Set under the lock by a submitter that took this worker off the idle stack. */
        volatile boolean woken;

        volatile @Nullable Thread thread;
    }

    /** What the hand-off needs of the workqueue around it. */
    interface Owner {

        /** @return whether the workqueue accepts no more work */
        boolean isShutdown();

        /** @return whether the workqueue drops its queued work ({@code shutdownNow()}) */
        boolean isStopped();

        /** A reservation for a new worker was taken; ask for the worker. Called without the lock. */
        void spawnRequested();
    }

    /**
     * Guards worker transitions: the idle stack, the live list and the pending spawn. The owner
     * may guard its own worker bookkeeping with it too.
     */
    final ReentrantLock lock = new ReentrantLock();

    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();

    /** Tasks queued, plus those whose submitter has reserved room and is about to queue. */
    private final AtomicInteger queued = new AtomicInteger();

    /** Live workers plus a reservation for one being started or for a fallback run. */
    private volatile int workers;

    /** Workers on {@link #idleWorkers}. */
    private volatile int idle;

    /** Workers running a task; kept only where a CPU may have more than one worker. */
    private final AtomicInteger running = new AtomicInteger();

    private final ArrayDeque<W> idleWorkers = new ArrayDeque<>();

    private final List<W> live = new ArrayList<>();

    /** Whether a worker is being started; written under the lock, read without it by {@link #spawnPending()}. */
    private volatile boolean spawnPending;

    /** The size of {@link #live}, for readers that take no lock. */
    private volatile int liveCount;

    private final int maxActive;

    private final Owner owner;

    Handoff(int maxActive, Owner owner) {
        this.maxActive = maxActive;
        this.owner = owner;
    }

    /**
     * Reserves room for a task about to be queued.
     * @param capacity the most tasks the queue may hold; {@link Integer#MAX_VALUE} for no bound
     * @return whether there was room
     */
    boolean tryReserve(int capacity) {
        if (capacity == Integer.MAX_VALUE) {
            queued.incrementAndGet();
            return true;
        }
        for (;;) {
            int current = queued.get();
            if (current >= capacity) {
                return false;
            }
            if (queued.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Queues work for which room was reserved, and makes sure a thread comes for it. If it throws
     * (an {@link Error} while queueing or asking for a worker), the work is not queued and its room
     * is given back: the caller owns it again.
     * @param retractOnShutdown whether to take the work back if the workqueue shut down meanwhile
     * @return {@code false} if it was taken back: its room is given back and the caller rejects it
     */
    boolean enqueue(E work, boolean retractOnShutdown) {
        try {
            queue.offer(work);
        }
        catch (Throwable ex) {
            queued.decrementAndGet();
            throw ex;
        }
        if (retractOnShutdown && owner.isShutdown() && takeBack(work)) {
            return false;
        }
        // Not shut down, or a worker or stop() already has the work: it was accepted.
        try {
            if (needsWake()) {
                wake();
            }
        }
        catch (Throwable ex) {
            // No thread may come for it: take it back if nobody has. If a thread already has
            // it, it was accepted and runs, and the error changes nothing for it.
            if (takeBack(work)) {
                throw ex;
            }
        }
        return true;
    }

    private boolean takeBack(E work) {
        if (queue.remove(work)) {
            queued.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Gives back room reserved for work that will not be queued after all. */
    void unreserve() {
        queued.decrementAndGet();
    }

    /** @return the next task, its room given back, or {@code null} if the queue is empty */
    @Nullable E poll() {
        E work = queue.poll();
        if (work != null) {
            queued.decrementAndGet();
        }
        return work;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** @return tasks queued or about to be */
    int queued() {
        return queued.get();
    }

    /** @return live workers plus reservations */
    int workers() {
        return workers;
    }

    /** @return live workers, without taking the lock */
    int liveCount() {
        return liveCount;
    }

    /** @return idle workers, without taking the lock */
    int idleCount() {
        return idle;
    }

    /** @return whether a worker is being started, without taking the lock */
    boolean spawnPending() {
        return spawnPending;
    }

    /** @return whether nothing is queued and no thread serves the queue */
    boolean quiescent() {
        return workers == 0 && queued.get() == 0;
    }

    /**
     * Whether queued work may lack a thread: a worker is idle, or every worker is busy with a task
     * (none at all counts) and the CPU may have more. A worker between two tasks is not busy: it
     * looks at the queue again before it goes idle.
     */
    boolean needsWake() {
        return idle > 0 || mayGrow();
    }

    private boolean mayGrow() {
        int current = workers;
        return current < maxActive && running.get() >= current;
    }

    /**
     * Makes sure queued work has a thread: wakes the most recently idle worker, or takes a
     * reservation and asks the owner for a new worker while the CPU has fewer than
     * {@code maxActive} and all of them are busy.
     */
    void wake() {
        W idleWorker;
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
            owner.spawnRequested();
        }
        catch (Throwable ex) {
            // Without the request nobody would ever release the reservation.
            cancelSpawn();
            throw ex;
        }
    }

    /** Gives up a reservation without starting a worker: creation was dropped or a fallback run ended. */
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
     * Registers a worker on its own thread, under the reservation it was started with.
     * @return how many workers are live now
     */
    int started(W worker) {
        lock.lock();
        try {
            worker.thread = Thread.currentThread();
            live.add(worker);
            liveCount = live.size();
            spawnPending = false;
            return live.size();
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Counts a task as running on one of several workers of the CPU, and asks for another worker
     * if more work waits: a submitter that queued it while this worker was still starting could
     * not grow the CPU then.
     */
    void taskStarted() {
        running.incrementAndGet();
        if (!queue.isEmpty() && needsWake()) {
            wake();
        }
    }

    void taskFinished() {
        running.decrementAndGet();
    }

    /**
     * Parks an out-of-work worker until a submitter wakes it, the workqueue shuts down or the
     * deadline passes.
     * @param deadlineNanos when the worker has been idle for the idle timeout, by the clock
     * @return {@code null} to go on working, or why the worker leaves (it has given up its place)
     */
    @Nullable WorkqueueEventType awaitWork(W worker, WorkqueueClock clock, long deadlineNanos) {
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
            while (!worker.woken && !owner.isShutdown()) {
                if (clock.nanoTime() - deadlineNanos >= 0) {
                    timedOut = true;
                    break;
                }
                // A stray interrupt would make every park return at once; only unpark wakes a
                // worker, so each park starts with the flag clear.
                Thread.interrupted();
                clock.parkUntil(this, deadlineNanos);
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
            liveCount = live.size();
            exit = shutdown ? WorkqueueEventType.SHUTDOWN_EXIT : WorkqueueEventType.IDLE_EXIT;
        }
        finally {
            lock.unlock();
        }
        // A submitter that queued before the announcement saw this worker and asked for no other.
        return !queue.isEmpty() && revive(worker) ? null : exit;
    }

    private boolean revive(W worker) {
        lock.lock();
        try {
            if (workers >= maxActive || owner.isStopped()) {
                return false;
            }
            workers++;
            live.add(worker);
            liveCount = live.size();
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    /** A worker leaves because the workqueue stopped. */
    void retire(W worker) {
        lock.lock();
        try {
            workers--;
            live.remove(worker);
            liveCount = live.size();
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * A worker broke outside its tasks: it gives up its place, or the reservation it was started
     * under if it broke before it registered, and work left behind gets another thread.
     */
    void failed(W worker) {
        lock.lock();
        try {
            if (idleWorkers.remove(worker)) {
                idle--;
            }
            if (live.remove(worker) || worker.thread == null) {
                workers--;
            }
            liveCount = live.size();
            if (worker.thread == null) {
                spawnPending = false;
            }
        }
        finally {
            lock.unlock();
        }
        if (!queue.isEmpty()) {
            wake();
        }
    }

    /** Lets idle workers see that the workqueue shut down. */
    void wakeForShutdown() {
        List<W> parked;
        lock.lock();
        try {
            parked = new ArrayList<>(idleWorkers);
        }
        finally {
            lock.unlock();
        }
        parked.forEach(worker -> LockSupport.unpark(worker.thread));
    }

    /**
     * Hands back every queued task, for {@code shutdownNow()}.
     * @param neverRan where to add them
     */
    void drainTo(List<? super E> neverRan) {
        E work;
        while ((work = poll()) != null) {
            neverRan.add(work);
        }
    }

    /** Interrupts the running workers, for {@code shutdownNow()}. */
    void interruptLive() {
        lock.lock();
        try {
            for (W worker : live) {
                Thread thread = worker.thread;
                if (thread != null) {
                    thread.interrupt();
                }
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** @return the live workers, the idle ones among them and a pending spawn, read together */
    Staff<W> staff() {
        lock.lock();
        try {
            return new Staff<>(List.copyOf(live), List.copyOf(idleWorkers), spawnPending);
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * The workers of a CPU at one moment.
     * @param live the live workers
     * @param idle those of them that wait for work
     * @param spawnPending whether a worker is being started
     */
    record Staff<W>(List<W> live, List<W> idle, boolean spawnPending) {
    }
}
