package io.lazyworkqueue;

/**
 * Totals for one CPU of a workqueue since it was built.
 * @param spawns workers started
 * @param idleExits workers that exited after their idle timeout
 * @param shutdownExits workers that exited because the workqueue shut down
 * @param failureExits workers that died of an error outside their tasks
 * @param spawnFailures worker creations that failed
 * @param fallbackRuns tasks the core thread ran because no worker could be created
 * @param completed tasks that returned normally
 * @param failed tasks that threw
 * @param rejected tasks refused because the queue was full or the workqueue had shut down
 */
public record CpuCounters(long spawns, long idleExits, long shutdownExits, long failureExits, long spawnFailures, long fallbackRuns,
        long completed, long failed, long rejected) {
}
