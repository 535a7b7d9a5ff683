package io.lazyworkqueue;

/**
 * Receives how long each task waited in its queue and how long it ran, and how late delayed work
 * started, for metrics. Called on the thread that ran the task, after it; it must be fast and
 * must not throw.
 */
@FunctionalInterface
public interface TaskTimingListener {

    /**
     * @param cpu the CPU whose queue the task was in
     * @param waitNanos from queueing to start, by the workqueue's clock
     * @param runNanos from start to end, by the workqueue's clock
     */
    void taskRan(int cpu, long waitNanos, long runNanos);

    /**
     * Hears of each run of delayed work (a task scheduled with a delay, or one run of recurring
     * work) after it ends, besides {@link #taskRan}. Does nothing unless overridden.
     * @param startDelayNanos how long after its due time the run started, by the workqueue's clock
     * @param runNanos from start to end, by the workqueue's clock
     * @param failed whether the run threw
     */
    default void scheduledRun(long startDelayNanos, long runNanos, boolean failed) {
    }
}
