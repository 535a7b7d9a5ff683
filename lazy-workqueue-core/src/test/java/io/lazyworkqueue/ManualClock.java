package io.lazyworkqueue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link WorkqueueClock} that stands still until a test advances it, and then wakes the threads
 * whose deadlines have passed.
 */
final class ManualClock implements WorkqueueClock {

    private volatile long now;

    private final Map<Thread, Long> parked = new ConcurrentHashMap<>();

    private final AtomicLong parks = new AtomicLong();

    ManualClock() {
        this(1_000_000_000L);
    }

    /** @param origin the first reading: any value, since a clock's origin is arbitrary */
    ManualClock(long origin) {
        this.now = origin;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void parkUntil(Object blocker, long deadlineNanos) {
        Thread thread = Thread.currentThread();
        parks.incrementAndGet();
        parked.put(thread, deadlineNanos);
        try {
            // Checked after registering, so an advance() in between is never missed.
            if (now - deadlineNanos < 0) {
                LockSupport.park(blocker);
            }
        }
        finally {
            parked.remove(thread);
        }
    }

    void advance(Duration duration) {
        now += duration.toNanos();
        parked.forEach((thread, deadline) -> {
            if (now - deadline >= 0) {
                LockSupport.unpark(thread);
            }
        });
    }

    /** @return how many times threads have begun to wait on this clock */
    long parks() {
        return parks.get();
    }

    /**
     * @param threadName the name of a thread that waits on this clock
     * @return how long after now that thread asked to be woken, or empty if no such thread waits
     */
    Optional<Duration> wakeUpOf(String threadName) {
        return parked.entrySet().stream()
            .filter(entry -> entry.getKey().getName().equals(threadName))
            .findFirst()
            .map(entry -> Duration.ofNanos(entry.getValue() - now));
    }

    /** @return how many threads wait on this clock */
    int parkedThreads() {
        return parked.size();
    }
}
