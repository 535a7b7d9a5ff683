package io.lazyworkqueue.spring;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The pause and stop callback of Spring's executors ({@code ExecutorLifecycleDelegate}) point by
 * point: a paused executor holds each task before it starts until resumed or shut down, and a stop
 * callback runs once no task is running. Spring's delegate takes one lock twice per task; here a
 * task that finds the gate open touches only a counter stripe chosen by its thread, so the CPUs of
 * a workqueue do not meet on one lock. The lock is taken only to wait while paused.
 *
 * <p>Why the count cannot read zero while a task runs: a task counts itself before it reads
 * {@link #paused}, and {@link #stop(Runnable)} sets {@link #paused} before it reads the count (all
 * volatile), so either the task sees the pause and uncounts itself before waiting, or the stop sees
 * the task. A task adds and removes its count on the stripe of its own thread, so no stripe goes
 * below zero and a stripe read while a task runs shows it.
 */
final class PauseGate {

    /** Longs per stripe: a 64-byte cache line, so that stripes do not share one. */
    private static final int STRIDE = 8;

    private static final int MAX_STRIPES = 256;

    private final AtomicLongArray running;

    private final int mask;

    private final BooleanSupplier executorShutDown;

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition opened = lock.newCondition();

    private volatile boolean paused;

    /** Set once the executor shuts down: from then on a pause no longer holds tasks. */
    private volatile boolean released;

    private final AtomicReference<@Nullable Runnable> stopCallback = new AtomicReference<>();

    /**
     * @param threads about how many threads run tasks at once, to size the counter stripes
     * @param executorShutDown whether the executor has shut down, which opens the gate for good
     */
    PauseGate(long threads, BooleanSupplier executorShutDown) {
        // The power of two at or above twice the threads, so that threads seldom share a stripe.
        int wanted = (int) Math.min(MAX_STRIPES, Math.max(1, threads) * 2);
        int stripes = Integer.highestOneBit(wanted * 2 - 1);
        this.running = new AtomicLongArray(stripes * STRIDE);
        this.mask = stripes - 1;
        this.executorShutDown = executorShutDown;
    }

    /** Lets a task start, after waiting out a pause; an interrupt ends the wait and stays set. */
    void enter() {
        int stripe = stripe();
        for (;;) {
            running.incrementAndGet(stripe);
            if (!paused || !holds()) {
                return;
            }
            running.decrementAndGet(stripe);
            reportIfIdle();
            if (!awaitOpen()) {
                running.incrementAndGet(stripe);
                return;
            }
        }
    }

    /** Marks a task as finished, and runs a pending stop callback if it was the last one. */
    void exit() {
        running.decrementAndGet(stripe());
        if (stopCallback.get() != null) {
            reportIfIdle();
        }
    }

    void start() {
        paused = false;
        signalAll();
    }

    void stop() {
        paused = true;
        stopCallback.set(null);
    }

    void stop(Runnable callback) {
        paused = true;
        stopCallback.set(callback);
        reportIfIdle();
    }

    boolean isPaused() {
        return paused;
    }

    /** Opens the gate for good: the executor is shutting down, and held tasks may run. */
    void release() {
        released = true;
        signalAll();
    }

    private boolean holds() {
        return !released && !executorShutDown.getAsBoolean();
    }

    /** @return false if interrupted while waiting */
    private boolean awaitOpen() {
        lock.lock();
        try {
            while (paused && holds()) {
                opened.await();
            }
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        finally {
            lock.unlock();
        }
    }

    private void signalAll() {
        lock.lock();
        try {
            opened.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    private void reportIfIdle() {
        if (stopCallback.get() != null && runningCount() == 0) {
            Runnable callback = stopCallback.getAndSet(null);
            if (callback != null) {
                callback.run();
            }
        }
    }

    private long runningCount() {
        long sum = 0;
        for (int i = 0; i <= mask; i++) {
            sum += running.get(i * STRIDE);
        }
        return sum;
    }

    private int stripe() {
        int hash = System.identityHashCode(Thread.currentThread());
        return ((hash ^ (hash >>> 16)) & mask) * STRIDE;
    }
}
