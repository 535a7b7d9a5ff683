package io.lazyworkqueue.benchmarks;

import java.time.Duration;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.LazyWorkqueue;

/**
 * What every peer of one measurement shares: the CPUs, whether per-CPU threads are pinned, and
 * the idle timeout of the executors that retire threads.
 * @param cpus the CPUs; the pool size of the peers that are not per-CPU
 * @param affinity {@code STRICT} to pin per-CPU threads, {@code NONE} for CPU ids the machine lacks
 * @param idleTimeout how long an idle lazy worker lives
 */
record PeerSettings(CpuSet cpus, AffinityMode affinity, Duration idleTimeout) {

    /** The engine's default idle timeout: long enough that no worker retires during a JMH run. */
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    /** @return every CPU this process may use, pinned, with the engine's default idle timeout */
    static PeerSettings allowedCpus() {
        return new PeerSettings(CpuSet.allowed(), AffinityMode.STRICT, DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * @param count how many CPUs to simulate
     * @param idleTimeout the idle timeout
     * @return the first {@code count} allowed CPUs, pinned, if the process has that many; otherwise
     * CPU ids {@code 0} to {@code count - 1}, unpinned, since there is nothing to pin them to
     */
    static PeerSettings cpuCount(int count, Duration idleTimeout) {
        CpuSet allowed = CpuSet.allowed();
        if (count <= allowed.size()) {
            int[] first = allowed.stream().limit(count).toArray();
            return new PeerSettings(CpuSet.of(first), AffinityMode.STRICT, idleTimeout);
        }
        return new PeerSettings(CpuSet.parse("0-" + (count - 1)), AffinityMode.NONE, idleTimeout);
    }

    /**
     * @param name the workqueue's name
     * @return a builder with these settings, to which a caller may add its own
     */
    LazyWorkqueue.Builder lazyWorkqueue(String name) {
        return LazyWorkqueue.builder(name).cpus(cpus).affinity(affinity).idleTimeout(idleTimeout);
    }
}
