package io.lazyworkqueue;

import java.time.Instant;

/** Turns a {@link WorkqueueClock}'s monotonic nanoseconds into wall-clock instants. */
final class Timebase {

    private final WorkqueueClock clock;

    private final Instant originInstant = Instant.now();

    private final long originNanos;

    Timebase(WorkqueueClock clock) {
        this.clock = clock;
        this.originNanos = clock.nanoTime();
    }

    Instant at(long nanos) {
        return originInstant.plusNanos(nanos - originNanos);
    }

    Instant now() {
        return at(clock.nanoTime());
    }
}
