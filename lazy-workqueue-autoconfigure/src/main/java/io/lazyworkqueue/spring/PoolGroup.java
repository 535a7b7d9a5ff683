package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.PoolStats;
import io.lazyworkqueue.WorkqueueConfig;

/**
 * Workqueues that share worker pools, one pool per CPU, told apart by the settings on which the
 * engine shares them: workqueues that are not dedicated and have the same affinity, idle timeout,
 * spawn retry delay and concurrency threshold form one group; a dedicated workqueue is a group of
 * its own. The group's name, the sorted names of its workqueues joined with commas, follows from
 * their settings alone, so it is a bounded tag and stays the same however the pools are used.
 *
 * <p>The engine also shares pools only between workqueues of the same thread factory and clock,
 * which their settings do not show: a workqueue that a customizer gives a thread factory or a clock
 * of its own should be {@linkplain LazyWorkqueue.Builder#dedicated(boolean) dedicated}, or it is
 * counted in a group whose pools it does not use.
 */
public final class PoolGroup {

    private final String name;

    private final List<String> queues;

    private final CpuSet cpus;

    /** For each CPU of the group, by its index in {@link #cpus}: a workqueue of the group that has it. */
    private final LazyWorkqueue[] readers;

    private PoolGroup(List<LazyWorkqueue> members) {
        this.name = String.join(",", members.stream().map(LazyWorkqueue::name).toList());
        this.queues = members.stream().map(LazyWorkqueue::name).toList();
        this.cpus = CpuSet.of(members.stream().flatMapToInt(member -> member.config().cpus().stream()).toArray());
        this.readers = new LazyWorkqueue[cpus.size()];
        for (int index = 0; index < cpus.size(); index++) {
            int cpu = cpus.get(index);
            readers[index] = members.stream()
                .filter(member -> member.config().cpus().contains(cpu))
                .findFirst()
                .orElseThrow();
        }
    }

    /**
     * @param workqueues workqueues, some of which may share pools
     * @return their groups, in the order of each group's first workqueue in {@code workqueues}
     */
    public static List<PoolGroup> of(Collection<LazyWorkqueue> workqueues) {
        Map<Object, List<LazyWorkqueue>> byPool = new LinkedHashMap<>();
        for (LazyWorkqueue workqueue : workqueues) {
            byPool.computeIfAbsent(poolKey(workqueue), key -> new ArrayList<>()).add(workqueue);
        }
        return byPool.values().stream()
            .map(members -> new PoolGroup(members.stream().sorted(Comparator.comparing(LazyWorkqueue::name)).toList()))
            .toList();
    }

    /** @return what decides whether a workqueue shares pools with another: a dedicated one, with none */
    private static Object poolKey(LazyWorkqueue workqueue) {
        WorkqueueConfig config = workqueue.config();
        return config.dedicated() ? workqueue
                : new SharedPoolKey(config.affinity(), config.idleTimeout(), config.spawnRetryDelay(),
                        config.concurrencyThreshold());
    }

    /** @return the sorted names of the group's workqueues, joined with commas */
    public String name() {
        return name;
    }

    /** @return the names of the group's workqueues, sorted */
    public List<String> queues() {
        return queues;
    }

    /** @return every CPU of the group's workqueues, each of which has a pool */
    public CpuSet cpus() {
        return cpus;
    }

    /**
     * @param cpu one of the group's CPUs
     * @return the pool of that CPU, read without locks
     * @throws IllegalArgumentException if the group has no such CPU
     */
    public PoolStats stats(int cpu) {
        int index = cpus.indexOf(cpu);
        if (index < 0) {
            throw new IllegalArgumentException("CPU " + cpu + " is not one of the CPUs " + cpus + " of pool group "
                    + name);
        }
        return readers[index].pool(cpu);
    }

    /** @return the pool of each CPU, in ascending CPU order, read without locks */
    public List<PoolStats> stats() {
        return cpus.stream().mapToObj(this::stats).toList();
    }

    @Override
    public String toString() {
        return "PoolGroup " + name + " on CPUs " + cpus;
    }

    /** The settings on which workqueues that are not dedicated share pools. */
    private record SharedPoolKey(AffinityMode affinity, Duration idleTimeout, Duration spawnRetryDelay,
            Duration concurrencyThreshold) {
    }
}
