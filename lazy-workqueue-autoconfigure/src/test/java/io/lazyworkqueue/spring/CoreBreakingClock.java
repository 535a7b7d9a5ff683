package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import io.lazyworkqueue.WorkqueueClock;

/**
 * The system clock, until {@link #breakFor(String)}: from then on every read by the named thread
 * throws, which kills the manager thread the next time it reads the time.
 */
public final class CoreBreakingClock implements WorkqueueClock {

    private volatile String brokenFor = "";

    /** @param threadName the thread whose reads throw from now on, such as {@code "lazy-workqueue-manager"} */
    public void breakFor(String threadName) {
        brokenFor = threadName;
    }

    @Override
    public long nanoTime() {
        if (Thread.currentThread().getName().equals(brokenFor)) {
            throw new IllegalStateException("clock broke");
        }
        return System.nanoTime();
    }

    @Override
    public void parkUntil(Object blocker, long deadlineNanos) {
        LockSupport.parkNanos(blocker, Math.min(deadlineNanos - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
    }
}
