package io.lazyworkqueue;

/**
 * How periodic work repeats: at a fixed rate, on the grid of its first deadline, or with a fixed
 * delay after the end of each run.
 * @param nanos the period or the delay, positive
 * @param fixedRate whether the next run is due a period after the last deadline, rather than a
 * delay after the last run's end
 */
record Period(long nanos, boolean fixedRate) {

    /**
     * @param deadlineNanos when the run that just ended was due
     * @param endNanos when it ended
     * @return when the next run is due
     */
    long nextDeadline(long deadlineNanos, long endNanos) {
        if (!fixedRate) {
            return endNanos + nanos;
        }
        long next = deadlineNanos + nanos;
        if (next - endNanos > 0) {
            return next;
        }
        // Late: the deadlines missed meanwhile are skipped but the last, which is due at once,
        // so a late run is made up for by one run rather than a burst, and the grid is kept.
        return next + (endNanos - next) / nanos * nanos;
    }
}
