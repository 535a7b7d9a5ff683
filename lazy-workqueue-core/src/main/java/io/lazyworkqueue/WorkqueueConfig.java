package io.lazyworkqueue;

import java.time.Duration;

/**
 * The settings of a workqueue, as resolved and checked by {@link LazyWorkqueue.Builder#build()}.
 * Durations longer than about 73 years ({@code Long.MAX_VALUE / 4} nanoseconds) are cut to that.
 * @param name the workqueue's name
 * @param cpus the CPUs that have a queue
 * @param coreCpu the CPU of the core thread, one of {@code cpus}
 * @param idleTimeout how long a worker waits for work before it exits
 * @param maxActive how many workers one CPU may have at once
 * @param affinity whether threads are pinned to their CPUs
 * @param cpuSelection how {@code execute} picks a CPU
 * @param queueCapacity how many tasks each CPU's queue holds; {@link Integer#MAX_VALUE} for no limit
 * @param rejection what a submitter meets when a queue is full
 * @param threadNamePrefix the start of every thread name
 * @param spawnRetryDelay how long after a failed worker creation the core thread runs the CPU's
 * work itself instead of trying again
 * @param eventHistory how many recent lifecycle events are kept
 * @param watchdogThreshold how long queued work may wait while no task finishes before the CPU
 * counts as stalled; zero when the watchdog is off
 */
public record WorkqueueConfig(String name, CpuSet cpus, int coreCpu, Duration idleTimeout, int maxActive,
        AffinityMode affinity, CpuSelection cpuSelection, int queueCapacity, RejectionPolicy rejection,
        String threadNamePrefix, Duration spawnRetryDelay, int eventHistory, Duration watchdogThreshold) {

    /** @return whether the per-CPU queues have no capacity limit */
    public boolean unbounded() {
        return queueCapacity == Integer.MAX_VALUE;
    }
}
