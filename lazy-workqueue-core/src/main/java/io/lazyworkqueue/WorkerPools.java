package io.lazyworkqueue;

import java.util.HashMap;
import java.util.Map;

/**
 * The worker pools of the JVM, one per {@link PoolKey} and CPU. A workqueue attaches each of its
 * CPUs to a pool when it is built and detaches them when it terminates; the pool of a key is made
 * on its first attachment and retired on its last detachment.
 */
final class WorkerPools {

    private static final Map<PoolKey, Map<Integer, WorkerPool>> pools = new HashMap<>();

    private WorkerPools() {
    }

    /** @return the pool of that key and CPU, made if there is none, with the slot attached */
    static synchronized WorkerPool attach(PoolKey key, int cpu, CpuSlot slot) {
        WorkerPool pool = pools.computeIfAbsent(key, ignored -> new HashMap<>())
            .computeIfAbsent(cpu, ignored -> new WorkerPool(key, cpu, Manager.of(key.clock())));
        pool.attach(slot);
        return pool;
    }

    /** Detaches a slot; a pool left serving nobody retires, and its idle workers exit. */
    static synchronized void detach(WorkerPool pool, CpuSlot slot) {
        if (!pool.detach(slot)) {
            return;
        }
        Map<Integer, WorkerPool> byCpu = pools.get(pool.key);
        if (byCpu != null && byCpu.remove(pool.cpu, pool) && byCpu.isEmpty()) {
            pools.remove(pool.key);
        }
        pool.retire();
    }
}
