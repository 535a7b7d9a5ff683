package io.lazyworkqueue.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.lazyworkqueue.CpuCounters;
import io.lazyworkqueue.CpuStats;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.PoolStats;
import io.lazyworkqueue.TaskTimingListener;
import io.lazyworkqueue.WorkqueueConfig;
import io.lazyworkqueue.spring.PoolGroup;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds the meters of lazy workqueues: {@code lazy.workqueue.*} with tags {@code queue} and,
 * unless turned off, {@code cpu}; {@code lazy.workqueue.pool.*} with tags {@code pool} (a
 * {@link PoolGroup#name() pool group}) and, unless turned off, {@code cpu}, once for each pool
 * however many of the workqueues share it; and Micrometer's standard {@code executor.*} meters
 * with tag {@code name}, so that dashboards made for Spring's executors show the workqueues too.
 * Every meter reads the workqueues' lock-free {@link LazyWorkqueue#stats() stats} and
 * {@link LazyWorkqueue#pools() pools}, never a snapshot.
 * It may be bound to several registries; each gets its own task timers. Closing it stops the task
 * timers it started and leaves any other timing listener of the workqueues alone.
 */
public final class LazyWorkqueueMetrics implements MeterBinder, AutoCloseable {

    private final Collection<LazyWorkqueue> workqueues;

    private final List<PoolGroup> poolGroups;

    private final boolean cpuTag;

    /** The registries bound so far, so that binding one twice does not time each task twice. */
    private final Set<MeterRegistry> bound = Collections.newSetFromMap(new IdentityHashMap<>());

    private final List<Timing> timings = new ArrayList<>();

    /**
     * @param workqueues the workqueues to measure
     * @param cpuTag whether per-CPU meters carry a {@code cpu} tag; without it they add up over
     * each workqueue's CPUs, which keeps the number of series small on machines with many CPUs
     */
    public LazyWorkqueueMetrics(Collection<LazyWorkqueue> workqueues, boolean cpuTag) {
        this.workqueues = List.copyOf(workqueues);
        this.poolGroups = PoolGroup.of(this.workqueues);
        this.cpuTag = cpuTag;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        synchronized (timings) {
            if (!bound.add(registry)) {
                return;
            }
        }
        for (LazyWorkqueue workqueue : workqueues) {
            Tags queue = Tags.of("queue", workqueue.name());
            if (cpuTag) {
                for (int cpu : workqueue.config().cpus().stream().toArray()) {
                    bindCpuMeters(registry, workqueue, queue.and("cpu", String.valueOf(cpu)), List.of(cpu));
                }
            }
            else {
                bindCpuMeters(registry, workqueue, queue, workqueue.config().cpus().stream().boxed().toList());
            }
            bindTaskTimers(registry, workqueue, queue);
            bindExecutorMeters(registry, workqueue);
        }
        for (PoolGroup group : poolGroups) {
            Tags pool = Tags.of("pool", group.name());
            if (cpuTag) {
                for (int cpu : group.cpus().stream().toArray()) {
                    bindPoolMeters(registry, pool.and("cpu", String.valueOf(cpu)), () -> List.of(group.stats(cpu)));
                }
            }
            else {
                bindPoolMeters(registry, pool, group::stats);
            }
        }
    }

    /** Binds the meters of pools: one CPU's, or all CPUs' added up, as {@code pools} reads them. */
    private static void bindPoolMeters(MeterRegistry registry, Tags tags, Supplier<List<PoolStats>> pools) {
        poolGauge(registry, "lazy.workqueue.pool.workers", "Worker threads of the pool", BaseUnits.THREADS,
                tags.and("state", "idle"), pools, PoolStats::idle);
        poolGauge(registry, "lazy.workqueue.pool.workers", "Worker threads of the pool", BaseUnits.THREADS,
                tags.and("state", "busy"), pools, LazyWorkqueueMetrics::busy);
        poolGauge(registry, "lazy.workqueue.pool.ready", "Tasks of the pool's queues waiting for a worker",
                BaseUnits.TASKS, tags, pools, PoolStats::ready);
        poolCounter(registry, "lazy.workqueue.pool.spawned", "Worker threads the pool started", BaseUnits.THREADS,
                tags, pools, PoolStats::spawned);
        poolCounter(registry, "lazy.workqueue.pool.exited", "Worker threads of the pool that exited",
                BaseUnits.THREADS, tags.and("reason", "idle"), pools, PoolStats::idleExits);
        poolCounter(registry, "lazy.workqueue.pool.exited", "Worker threads of the pool that exited",
                BaseUnits.THREADS, tags.and("reason", "shutdown"), pools, PoolStats::shutdownExits);
        poolCounter(registry, "lazy.workqueue.pool.exited", "Worker threads of the pool that exited",
                BaseUnits.THREADS, tags.and("reason", "failure"), pools, PoolStats::failureExits);
        poolCounter(registry, "lazy.workqueue.pool.spawn.failures", "Worker threads the pool could not create", null,
                tags, pools, PoolStats::spawnFailures);
    }

    /** Workers less idle ones, read apart without a lock, so a worker that starts meanwhile could make it -1. */
    private static int busy(PoolStats pool) {
        return Math.max(0, pool.busy());
    }

    private static void poolGauge(MeterRegistry registry, String name, String description, String baseUnit, Tags tags,
            Supplier<List<PoolStats>> pools, ToDoubleFunction<PoolStats> value) {
        Gauge.builder(name, () -> sum(pools.get(), value))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

    private static void poolCounter(MeterRegistry registry, String name, String description, @Nullable String baseUnit,
            Tags tags, Supplier<List<PoolStats>> pools, ToDoubleFunction<PoolStats> value) {
        // Micrometer holds the state object weakly, and nothing else holds the supplier (it reads a
        // group the binder made), so the function holds it.
        FunctionCounter.builder(name, pools, unused -> sum(pools.get(), value))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

    private static void bindCpuMeters(MeterRegistry registry, LazyWorkqueue workqueue, Tags tags, List<Integer> cpus) {
        // Meters hold their state object weakly: the workqueue, which the application keeps, is
        // that object, and the CPUs are held by the functions.
        Gauge.builder("lazy.workqueue.live", workqueue, w -> sumOver(w, cpus, CpuStats::threads))
            .description("Worker threads alive")
            .baseUnit(BaseUnits.THREADS)
            .tags(tags)
            .register(registry);
        Gauge.builder("lazy.workqueue.queued", workqueue, w -> sumOver(w, cpus, CpuStats::queued))
            .description("Tasks waiting in the queue")
            .baseUnit(BaseUnits.TASKS)
            .tags(tags)
            .register(registry);
        Gauge.builder("lazy.workqueue.stalled", workqueue, w -> sumOver(w, cpus, cpu -> cpu.stalled() ? 1 : 0))
            .description("CPUs whose queued work has not moved for the watchdog threshold")
            .tags(tags)
            .register(registry);
        counter(registry, "lazy.workqueue.spawned", "Worker threads started", BaseUnits.THREADS, tags, workqueue, cpus,
                CpuCounters::spawns);
        counter(registry, "lazy.workqueue.exited", "Worker threads that exited", BaseUnits.THREADS,
                tags.and("reason", "idle"), workqueue, cpus, CpuCounters::idleExits);
        counter(registry, "lazy.workqueue.exited", "Worker threads that exited", BaseUnits.THREADS,
                tags.and("reason", "shutdown"), workqueue, cpus, CpuCounters::shutdownExits);
        counter(registry, "lazy.workqueue.exited", "Worker threads that exited", BaseUnits.THREADS,
                tags.and("reason", "failure"), workqueue, cpus, CpuCounters::failureExits);
        counter(registry, "lazy.workqueue.spawn.failures", "Worker threads that could not be created", null, tags,
                workqueue, cpus, CpuCounters::spawnFailures);
        counter(registry, "lazy.workqueue.fallback", "Tasks the manager thread ran because no worker could be created",
                BaseUnits.TASKS, tags, workqueue, cpus, CpuCounters::fallbackRuns);
        counter(registry, "lazy.workqueue.completed", "Tasks that ran to their end", BaseUnits.TASKS,
                tags.and("outcome", "success"), workqueue, cpus, CpuCounters::completed);
        counter(registry, "lazy.workqueue.completed", "Tasks that ran to their end", BaseUnits.TASKS,
                tags.and("outcome", "failure"), workqueue, cpus, CpuCounters::failed);
        counter(registry, "lazy.workqueue.rejected", "Tasks refused: queue full or workqueue shut down",
                BaseUnits.TASKS, tags, workqueue, cpus, CpuCounters::rejected);
    }

    private static void counter(MeterRegistry registry, String name, String description, @Nullable String baseUnit, Tags tags,
            LazyWorkqueue workqueue, List<Integer> cpus, ToDoubleFunction<CpuCounters> count) {
        FunctionCounter.builder(name, workqueue, w -> sumOver(w, cpus, cpu -> count.applyAsDouble(cpu.counters())))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

    private void bindTaskTimers(MeterRegistry registry, LazyWorkqueue workqueue, Tags queue) {
        WorkqueueConfig config = workqueue.config();
        Timer[] waits = new Timer[config.cpus().last() + 1];
        Timer[] runs = new Timer[waits.length];
        for (int cpu : config.cpus().stream().toArray()) {
            Tags tags = cpuTag ? queue.and("cpu", String.valueOf(cpu)) : queue;
            waits[cpu] = Timer.builder("lazy.workqueue.task.wait")
                .description("Time tasks waited in the queue before they started")
                .tags(tags)
                .register(registry);
            runs[cpu] = Timer.builder("lazy.workqueue.task.run")
                .description("Time tasks ran")
                .tags(tags)
                .register(registry);
        }
        TaskTimingListener listener = (cpu, waitNanos, runNanos) -> {
            waits[cpu].record(waitNanos, TimeUnit.NANOSECONDS);
            runs[cpu].record(runNanos, TimeUnit.NANOSECONDS);
        };
        synchronized (timings) {
            timings.add(new Timing(workqueue, listener));
        }
        workqueue.addTaskTimingListener(listener);
    }

    private static void bindExecutorMeters(MeterRegistry registry, LazyWorkqueue workqueue) {
        Tags name = Tags.of("name", workqueue.name());
        WorkqueueConfig config = workqueue.config();
        FunctionCounter.builder("executor.completed", workqueue,
                    w -> sum(w, cpu -> cpu.counters().completed() + cpu.counters().failed()))
            .description("The approximate total number of tasks that have completed execution")
            .baseUnit(BaseUnits.TASKS)
            .tags(name)
            .register(registry);
        Gauge.builder("executor.active", workqueue, w -> sum(w, CpuStats::active))
            .description("The approximate number of threads that are actively executing tasks")
            .baseUnit(BaseUnits.THREADS)
            .tags(name)
            .register(registry);
        Gauge.builder("executor.queued", workqueue, w -> sum(w, CpuStats::queued))
            .description("The approximate number of tasks that are queued for execution")
            .baseUnit(BaseUnits.TASKS)
            .tags(name)
            .register(registry);
        Gauge.builder("executor.queue.remaining", workqueue,
                    w -> config.unbounded() ? Integer.MAX_VALUE
                            : (double) config.queueCapacity() * config.cpus().size() - sum(w, CpuStats::queued))
            .description("The number of additional elements that this queue can ideally accept without blocking")
            .baseUnit(BaseUnits.TASKS)
            .tags(name)
            .register(registry);
        Gauge.builder("executor.pool.size", workqueue, LazyWorkqueue::liveThreads)
            .description("The current number of threads in the pool")
            .baseUnit(BaseUnits.THREADS)
            .tags(name)
            .register(registry);
        Gauge.builder("executor.pool.core", workqueue, w -> 0)
            .description("The core number of threads for the pool")
            .baseUnit(BaseUnits.THREADS)
            .tags(name)
            .register(registry);
        Gauge.builder("executor.pool.max", workqueue,
                    w -> (double) config.cpus().size() * config.maxActive() + 1)
            .description("The maximum allowed number of threads in the pool")
            .baseUnit(BaseUnits.THREADS)
            .tags(name)
            .register(registry);
    }

    private static double sum(LazyWorkqueue workqueue, ToDoubleFunction<CpuStats> value) {
        return sum(workqueue.stats(), value);
    }

    private static <T> double sum(List<T> figures, ToDoubleFunction<T> value) {
        double total = 0;
        for (T figure : figures) {
            total += value.applyAsDouble(figure);
        }
        return total;
    }

    /** Reads the CPUs of a workqueue afresh, at every scrape. */
    private static double sumOver(LazyWorkqueue workqueue, List<Integer> cpus, ToDoubleFunction<CpuStats> value) {
        double total = 0;
        for (int cpu : cpus) {
            total += value.applyAsDouble(workqueue.stats(cpu));
        }
        return total;
    }

    /** Stops the task timers this binder started, in every registry it was bound to. */
    @Override
    public void close() {
        List<Timing> started;
        synchronized (timings) {
            started = List.copyOf(timings);
            timings.clear();
            bound.clear();
        }
        started.forEach(timing -> timing.workqueue().removeTaskTimingListener(timing.listener()));
    }

    /** A timing listener this binder added to a workqueue. */
    private record Timing(LazyWorkqueue workqueue, TaskTimingListener listener) {
    }
}
