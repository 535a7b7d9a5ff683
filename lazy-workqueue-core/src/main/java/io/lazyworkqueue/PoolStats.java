package io.lazyworkqueue;

import java.util.List;

/**
 * The worker pool that serves a workqueue on one CPU, read without locks. Workqueues with the same
 * thread settings share one pool per CPU unless they are dedicated, so these figures are the
 * pool's, across every workqueue it serves.
 * @param cpu the CPU id
 * @param queues the names of the workqueues the pool serves, in the order they joined it
 * @param workers live workers
 * @param idle workers waiting for work
 * @param ready tasks waiting for a worker of the pool, from all its workqueues
 * @param spawned workers started since the pool was made
 * @param idleExits workers that exited after their idle timeout
 * @param shutdownExits workers that exited because the last workqueue of the pool shut down
 * @param failureExits workers that died of an error outside their tasks
 * @param spawnFailures worker creations that failed
 */
public record PoolStats(int cpu, List<String> queues, int workers, int idle, int ready, long spawned, long idleExits,
        long shutdownExits, long failureExits, long spawnFailures) {

    /**
     * Copies {@code queues}, so that the figures do not change with the list they were given.
     * @param cpu the CPU id
     * @param queues the names of the workqueues the pool serves
     * @param workers live workers
     * @param idle workers waiting for work
     * @param ready tasks waiting for a worker
     * @param spawned workers started
     * @param idleExits workers that exited idle
     * @param shutdownExits workers that exited at shutdown
     * @param failureExits workers that died
     * @param spawnFailures failed worker creations
     */
    public PoolStats {
        queues = List.copyOf(queues);
    }

    /** @return workers running a task; the two counts are read apart, so never below zero */
    public int busy() {
        return Math.max(0, workers - idle);
    }
}
