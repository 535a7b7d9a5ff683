package io.lazyworkqueue;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One CPU of a workqueue at a moment.
 * @param cpu the CPU id
 * @param state what the CPU is doing
 * @param threads its live workers
 * @param queued tasks waiting in its queue
 * @param active tasks running
 * @param stalledSince since when queued work has waited while no task finished, if the stall
 * watchdog has found it stalled; {@code null} otherwise
 * @param counters totals since the workqueue was built
 */
public record CpuSnapshot(int cpu, CpuState state, List<ThreadSnapshot> threads, int queued, int active,
        @Nullable Instant stalledSince, CpuCounters counters) {

    /**
     * Copies {@code threads}, so that the snapshot does not change with the list it was given.
     * @param cpu the CPU id
     * @param state what the CPU is doing
     * @param threads its live workers
     * @param queued tasks waiting in its queue
     * @param active tasks running
     * @param stalledSince since when the CPU has been stalled, or {@code null}
     * @param counters totals since the workqueue was built
     */
    public CpuSnapshot {
        threads = List.copyOf(threads);
    }
}
