package io.lazyworkqueue;

/**
 * Totals for one CPU of a workqueue. The worker figures are those of the CPU's pool since the pool
 * was made, shared with the workqueues that share the pool; the task figures are the workqueue's own.
 * @param spawns workers the pool started
 * @param idleExits workers of the pool that exited after their idle timeout
 * @param shutdownExits workers of the pool that exited because its last workqueue terminated
 * @param failureExits workers of the pool that died of an error outside their tasks
 * @param spawnFailures worker creations for the pool that failed
 * @param fallbackRuns tasks the manager thread ran because no worker could be created
 * @param completed tasks that returned normally
 * @param failed tasks that threw
 * @param rejected tasks refused because the queue was full or the workqueue had shut down
 */
public record CpuCounters(long spawns, long idleExits, long shutdownExits, long failureExits, long spawnFailures, long fallbackRuns,
        long completed, long failed, long rejected) {
}
