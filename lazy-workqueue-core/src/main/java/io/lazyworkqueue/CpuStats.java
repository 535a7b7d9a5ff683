package io.lazyworkqueue;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The figures of one CPU of a workqueue that metrics and health read often: a few volatile reads,
 * no lock taken, so reading them does not slow the CPU's workers. Each figure is current when
 * read, but they are not read at one instant; {@link CpuSnapshot} adds the threads themselves.
 * @param cpu the CPU id
 * @param state what the CPU is doing
 * @param threads live workers
 * @param queued tasks waiting in its queue
 * @param active tasks running
 * @param stalledSince since when queued work has waited while no task finished, if the stall
 * watchdog has found it stalled; {@code null} otherwise
 * @param counters totals since the workqueue was built
 */
public record CpuStats(int cpu, CpuState state, int threads, int queued, int active, @Nullable Instant stalledSince,
        CpuCounters counters) {

    /** @return whether the stall watchdog finds the CPU stalled */
    public boolean stalled() {
        return stalledSince != null;
    }
}
