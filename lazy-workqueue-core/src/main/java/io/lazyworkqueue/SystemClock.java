package io.lazyworkqueue;

import java.util.concurrent.locks.LockSupport;

/** {@link WorkqueueClock} of {@link System#nanoTime()} and {@link LockSupport} parking. */
enum SystemClock implements WorkqueueClock {

    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void parkUntil(Object blocker, long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            LockSupport.park(blocker);
        }
        else {
            LockSupport.parkNanos(blocker, deadlineNanos - System.nanoTime());
        }
    }
}
