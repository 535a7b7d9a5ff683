package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Counts, from inside the tasks, how many of the tasks queued on each CPU run at the same moment:
 * what {@code maxActive} bounds, measured without asking the workqueue.
 */
final class RunningAtOnce {

    private final AtomicIntegerArray running = new AtomicIntegerArray(CpuSet.MAX_CPU + 1);

    private final AtomicIntegerArray most = new AtomicIntegerArray(CpuSet.MAX_CPU + 1);

    /**
     * @param cpu the CPU the task is queued on
     * @param task the task
     * @return the task, counted among the CPU's running tasks while it runs
     */
    Runnable on(int cpu, Runnable task) {
        return () -> {
            int now = running.incrementAndGet(cpu);
            most.accumulateAndGet(cpu, now, Math::max);
            try {
                task.run();
            }
            finally {
                running.decrementAndGet(cpu);
            }
        };
    }

    /** @return how many of the CPU's tasks run now */
    int now(int cpu) {
        return running.get(cpu);
    }

    /** @return the most of the CPU's tasks that ran at once */
    int most(int cpu) {
        return most.get(cpu);
    }
}
