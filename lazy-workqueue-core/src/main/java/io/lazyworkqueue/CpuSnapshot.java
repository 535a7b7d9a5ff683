package io.lazyworkqueue;

import java.util.List;

/**
 * One CPU of a workqueue at a moment.
 * @param cpu the CPU id
 * @param state what the CPU is doing
 * @param threads its live workers
 * @param queued tasks waiting in its queue
 * @param active tasks running
 * @param counters totals since the workqueue was built
 */
public record CpuSnapshot(int cpu, CpuState state, List<ThreadSnapshot> threads, int queued, int active,
        CpuCounters counters) {

    public CpuSnapshot {
        threads = List.copyOf(threads);
    }
}
