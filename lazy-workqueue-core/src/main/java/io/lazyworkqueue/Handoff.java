package io.lazyworkqueue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The hand-off between the submitters of one CPU's pool and its workers: every queued task has a
 * thread coming for it, a watching manager, or its submitter takes it back and rejects it.
 *
 * <p>Submitters queue without a lock, then look at the workers' announcements. A worker
 * announces under the lock that it goes idle or leaves, then looks at the queue again. Both sides
 * write first and read afterwards, so at least one sees the other (docs/architecture.md, "The exit
 * race and how it is closed").
 *
 * <p>Submitters start a worker only when the pool has none. More workers come from the manager,
 * which adds one ({@link #grow()}) when work waits and every worker is stuck in a task.
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

    /** What the hand-off needs of the pool around it. */
    interface Owner {

        /** @return whether the pool serves no workqueue any more, so that idle workers leave */
        boolean isRetired();

        /** A reservation for a new worker was taken; start the worker. Called without the lock. */
        void spawnRequested();
    }

    /**
     * Guards worker transitions: the idle stack, the live list and the pending spawn. The owner
     * may guard its own worker bookkeeping with it too.
     */
    final ReentrantLock lock = new ReentrantLock();

    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();

    /** Tasks queued. */
    private final AtomicInteger queued = new AtomicInteger();

    /** Live workers plus a reservation for one being started or for a fallback run. */
    private volatile int workers;

    /** Workers on {@link #idleWorkers}. */
    private volatile int idle;

    private final ArrayDeque<W> idleWorkers = new ArrayDeque<>();

    private final List<W> live = new ArrayList<>();

    /** Whether a worker is being started; written under the lock, read without it by {@link #spawnPending()}. */
    private volatile boolean spawnPending;

    /** The size of {@link #live}, for readers that take no lock. */
    private volatile int liveCount;

    /** The most workers the pool may have. */
    private volatile int cap = 1;

    private final Owner owner;

    Handoff(Owner owner) {
        this.owner = owner;
    }

    /** @param cap the most workers the pool may have from now on, at least 1 */
    void cap(int cap) {
        this.cap = cap;
    }

    /**
     * Queues work and makes sure a thread comes for it, if one is needed: an idle worker is woken,
     * and a pool without workers gets one. If it throws (an {@link Error} while queueing or asking
     * for a worker), the work is not queued: the caller owns it again.
     * @return whether a thread is sure to come: a worker was woken or started; {@code false} if
     * the work waits for busy workers, for a worker someone else asked for, or for a worker that
     * could not be had
     */
    boolean enqueue(E work) {
        queued.incrementAndGet();
        try {
            queue.offer(work);
        }
        catch (Throwable ex) {
            queued.decrementAndGet();
            throw ex;
        }
        try {
            return needsWake() && wake();
        }
        catch (RejectedExecutionException ex) {
            // No thread could be had. The work stays queued: its submitter asks the manager to
            // watch it, and takes it back if even that fails.
            return false;
        }
        catch (Throwable ex) {
            // If a thread already has the work, it runs, and the error changes nothing for it.
            if (takeBack(work)) {
                throw ex;
            }
            return true;
        }
    }

    /**
     * Takes back work that no thread has taken yet.
     * @return whether it was still queued
     */
    boolean takeBack(E work) {
        if (queue.remove(work)) {
            queued.decrementAndGet();
            return true;
        }
        return false;
    }

    /** @return the queued work at about this moment, for a caller that takes some of it back */
    List<E> snapshotQueue() {
        return new ArrayList<>(queue);
    }

    /** @return the next task, or {@code null} if the queue is empty */
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

    /** @return tasks queued */
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

    /** Whether queued work may lack a thread: a worker is idle, or the pool has none. */
    boolean needsWake() {
        return idle > 0 || workers == 0;
    }

    /**
     * Makes sure queued work has a thread: wakes the most recently idle worker, or takes a
     * reservation and asks the owner for a worker while the pool has none.
     * @return whether it woke a worker or asked for one
     */
    boolean wake() {
        W idleWorker;
        lock.lock();
        try {
            idleWorker = idleWorkers.pollFirst();
            if (idleWorker != null) {
                idle--;
                idleWorker.woken = true;
            }
            else if (spawnPending || workers > 0 || queue.isEmpty() || owner.isRetired()) {
                return false;
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
            return true;
        }
        try {
            owner.spawnRequested();
        }
        catch (Throwable ex) {
            // Without the request nobody would ever release the reservation.
            cancelSpawn();
            throw ex;
        }
        return true;
    }

    /**
     * Takes a reservation for one more worker, for the manager: work waits, no worker is idle or
     * being started, and the pool is below its cap.
     * @return whether it did; the caller then starts the worker or cancels the reservation
     */
    boolean grow() {
        lock.lock();
        try {
            if (spawnPending || idle > 0 || workers >= cap || queue.isEmpty() || owner.isRetired()) {
                return false;
            }
            workers++;
            spawnPending = true;
            return true;
        }
        finally {
            lock.unlock();
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
     * Parks an out-of-work worker until a submitter wakes it, the pool retires or the deadline
     * passes.
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
            while (!worker.woken && !owner.isRetired()) {
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
            boolean retired = owner.isRetired();
            if (!(timedOut || retired) || !queue.isEmpty()) {
                return null;
            }
            workers--;
            live.remove(worker);
            liveCount = live.size();
            exit = retired ? WorkqueueEventType.SHUTDOWN_EXIT : WorkqueueEventType.IDLE_EXIT;
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
            if (workers >= cap) {
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

    /** Lets idle workers see that the pool retired. */
    void wakeIdle() {
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
