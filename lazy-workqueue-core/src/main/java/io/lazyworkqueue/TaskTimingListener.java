package io.lazyworkqueue;

/**
 * Receives how long each task waited in its queue and how long it ran, for metrics. Called on the
 * thread that ran the task, after it; it must be fast and must not throw.
 */
@FunctionalInterface
public interface TaskTimingListener {

    /**
     * @param cpu the CPU whose queue the task was in
     * @param waitNanos from queueing to start, by the workqueue's clock
     * @param runNanos from start to end, by the workqueue's clock
     */
    void taskRan(int cpu, long waitNanos, long runNanos);
}
