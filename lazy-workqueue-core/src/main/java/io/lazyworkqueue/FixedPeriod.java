package io.lazyworkqueue;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * Recurrence at a fixed rate, on the grid of its first deadline, or with a fixed delay after the
 * end of each run.
 * @param initialNanos the time from scheduling to the first run, zero or more
 * @param nanos the period or the delay, positive
 * @param fixedRate whether the next run is due a period after the last deadline, rather than a
 * delay after the last run's end
 */
record FixedPeriod(long initialNanos, long nanos, boolean fixedRate) implements Recurrence {

    /**
     * Far beyond any real delay, and small enough that deadline arithmetic on any clock reading
     * cannot overflow.
     */
    static final long LONGEST_NANOS = Long.MAX_VALUE / 4;

    static FixedPeriod of(Duration initialDelay, String periodName, Duration period, boolean fixedRate) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(period, periodName);
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must be zero or positive, was " + initialDelay);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(periodName + " must be positive, was " + period);
        }
        return new FixedPeriod(cappedNanos(initialDelay), cappedNanos(period), fixedRate);
    }

    static long cappedNanos(Duration duration) {
        try {
            return Math.min(duration.toNanos(), LONGEST_NANOS);
        }
        catch (ArithmeticException ex) {
            return LONGEST_NANOS;
        }
    }

    @Override
    public OptionalLong next(@Nullable ScheduledRun last, long nowNanos) {
        if (last == null) {
            return OptionalLong.of(nowNanos + initialNanos);
        }
        if (!fixedRate) {
            return OptionalLong.of(last.endNanos() + nanos);
        }
        long next = last.dueNanos() + nanos;
        if (next - last.endNanos() > 0) {
            return OptionalLong.of(next);
        }
        // Late: the deadlines missed meanwhile are skipped but the last, which is due at once,
        // so a late run is made up for by one run rather than a burst, and the grid is kept.
        return OptionalLong.of(next + (last.endNanos() - next) / nanos * nanos);
    }

    @Override
    public String toString() {
        return (fixedRate ? "fixed rate " : "fixed delay ") + Duration.ofNanos(nanos);
    }
}
