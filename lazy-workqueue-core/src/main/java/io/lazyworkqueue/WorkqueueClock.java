package io.lazyworkqueue;

import java.util.concurrent.locks.LockSupport;

/**
 * The time source of a workqueue: idle timeouts, spawn retry cool-downs, delayed work and event
 * times are read from it, and its threads wait through it. Tests replace it to drive time by hand.
 */
public interface WorkqueueClock {

    /**
     * @return a monotonic time in nanoseconds, with an arbitrary origin
     */
    long nanoTime();

    /**
     * Parks the calling thread until {@link #nanoTime()} reaches the deadline or the thread is
     * unparked with {@link LockSupport#unpark(Thread)}. It may also return early for no reason;
     * callers check their condition again.
     * @param blocker the object the thread waits on, for thread dumps
     * @param deadlineNanos the {@link #nanoTime()} to wake at; {@link Long#MAX_VALUE} for none
     */
    void parkUntil(Object blocker, long deadlineNanos);

    /**
     * @return the clock of the running system, backed by {@link System#nanoTime()}
     */
    static WorkqueueClock system() {
        return SystemClock.INSTANCE;
    }
}
