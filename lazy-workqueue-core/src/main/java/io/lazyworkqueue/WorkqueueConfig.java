package io.lazyworkqueue;

import java.time.Duration;

/**
 * The settings of a workqueue, as resolved and checked by {@link LazyWorkqueue.Builder#build()}.
 * Durations longer than about 73 years ({@code Long.MAX_VALUE / 4} nanoseconds) are cut to that.
 * @param name the workqueue's name
 * @param cpus the CPUs that have a queue
 * @param coreCpu the CPU of ordered work, one of {@code cpus}
 * @param idleTimeout how long a worker waits for work before it exits
 * @param maxActive how many tasks of the workqueue run on one CPU at once
 * @param affinity whether threads are pinned to their CPUs
 * @param cpuSelection how {@code execute} picks a CPU
 * @param queueCapacity how many tasks each CPU's queue holds; {@link Integer#MAX_VALUE} for no limit
 * @param rejection what a submitter meets when a queue is full
 * @param threadNamePrefix the start of every thread name
 * @param spawnRetryDelay how long after a failed worker creation the manager thread runs the CPU's
 * work itself instead of trying again
 * @param eventHistory how many recent lifecycle events are kept
 * @param watchdogThreshold how long queued work may wait while no task finishes before the CPU
 * counts as stalled; zero when the watchdog is off
 * @param concurrencyThreshold how long a worker may run one task before its pool counts it as
 * stuck and may start another worker for the work waiting behind it
 * @param dedicated whether the workqueue's workers serve it alone instead of sharing pools with
 * workqueues of the same thread settings
 */
public record WorkqueueConfig(String name, CpuSet cpus, int coreCpu, Duration idleTimeout, int maxActive,
        AffinityMode affinity, CpuSelection cpuSelection, int queueCapacity, RejectionPolicy rejection,
        String threadNamePrefix, Duration spawnRetryDelay, int eventHistory, Duration watchdogThreshold,
        Duration concurrencyThreshold, boolean dedicated) {

    /** The concurrency threshold a workqueue has unless set: 10 ms, as the kernel's {@code cpu_intensive_thresh_us}. */
    public static final Duration DEFAULT_CONCURRENCY_THRESHOLD = Duration.ofMillis(10);

    /**
     * Settings with the default concurrency threshold, on shared pools: the settings of a
     * workqueue built before those two existed.
     * @param name the workqueue's name
     * @param cpus the CPUs that have a queue
     * @param coreCpu the CPU of ordered work
     * @param idleTimeout how long a worker waits for work before it exits
     * @param maxActive how many tasks of the workqueue one CPU runs at once
     * @param affinity whether threads are pinned to their CPUs
     * @param cpuSelection how {@code execute} picks a CPU
     * @param queueCapacity how many tasks each CPU's queue holds
     * @param rejection what a submitter meets when a queue is full
     * @param threadNamePrefix the start of every thread name
     * @param spawnRetryDelay how long after a failed worker creation to run the work without one
     * @param eventHistory how many recent lifecycle events are kept
     * @param watchdogThreshold how long queued work may wait before the CPU counts as stalled
     */
    public WorkqueueConfig(String name, CpuSet cpus, int coreCpu, Duration idleTimeout, int maxActive,
            AffinityMode affinity, CpuSelection cpuSelection, int queueCapacity, RejectionPolicy rejection,
            String threadNamePrefix, Duration spawnRetryDelay, int eventHistory, Duration watchdogThreshold) {
        this(name, cpus, coreCpu, idleTimeout, maxActive, affinity, cpuSelection, queueCapacity, rejection,
                threadNamePrefix, spawnRetryDelay, eventHistory, watchdogThreshold, DEFAULT_CONCURRENCY_THRESHOLD, false);
    }

    /** @return whether the per-CPU queues have no capacity limit */
    public boolean unbounded() {
        return queueCapacity == Integer.MAX_VALUE;
    }
}
