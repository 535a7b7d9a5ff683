package io.lazyworkqueue;

import java.time.Duration;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * When recurring work runs: asked for the first run when the work is scheduled, and for the next
 * one after each run, on the thread that ran it. Fixed-rate and fixed-delay schedules are
 * recurrences; so is a calendar schedule that an application computes itself. Its
 * {@link Object#toString()} describes the schedule in {@link LazyWorkqueue#schedules()}.
 */
public interface Recurrence {

    /**
     * @param last the run that just ended, or {@code null} when the work is being scheduled
     * @param nowNanos the workqueue clock's {@link WorkqueueClock#nanoTime() time} now
     * @return when the next run is due, by the workqueue's clock (a time already passed means at
     * once), or empty to end the schedule
     */
    OptionalLong next(@Nullable ScheduledRun last, long nowNanos);

    /**
     * Decides whether the schedule goes on after a run that threw, on the thread that ran it. By
     * default it does not, as with {@link java.util.concurrent.ScheduledExecutorService}: the
     * schedule ends and its future fails with what the run threw. Whatever this method throws
     * ends the schedule with that instead.
     * @param failure what the run threw
     * @return {@code true} to go on with the next run, having dealt with the failure
     */
    default boolean continuesAfter(Throwable failure) {
        return false;
    }

    /**
     * Runs at a fixed rate: first once the initial delay has passed, then a period after each
     * deadline. A run that starts late or takes longer than the period delays the next, and the
     * deadlines missed meanwhile are made up for by one run at once, not by a burst.
     * @param initialDelay how long until the first run, zero or more
     * @param period the time between deadlines, positive
     * @return the recurrence, described as {@code "fixed rate <period>"}
     * @throws IllegalArgumentException if the initial delay is negative or the period is not positive
     */
    static Recurrence fixedRate(Duration initialDelay, Duration period) {
        return FixedPeriod.of(initialDelay, "period", period, true);
    }

    /**
     * Runs with a fixed delay: first once the initial delay has passed, then the delay after the
     * end of each run.
     * @param initialDelay how long until the first run, zero or more
     * @param delay the time from the end of one run to the start of the next, positive
     * @return the recurrence, described as {@code "fixed delay <delay>"}
     * @throws IllegalArgumentException if the initial delay is negative or the delay is not positive
     */
    static Recurrence fixedDelay(Duration initialDelay, Duration delay) {
        return FixedPeriod.of(initialDelay, "delay", delay, false);
    }
}
