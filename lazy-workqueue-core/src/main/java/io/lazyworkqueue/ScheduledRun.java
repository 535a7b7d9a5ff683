package io.lazyworkqueue;

/**
 * One run of recurring work, by the workqueue's clock, as its {@link Recurrence} hears of it.
 * @param dueNanos when the run was due
 * @param startNanos when it started
 * @param endNanos when it ended
 */
public record ScheduledRun(long dueNanos, long startNanos, long endNanos) {
}
