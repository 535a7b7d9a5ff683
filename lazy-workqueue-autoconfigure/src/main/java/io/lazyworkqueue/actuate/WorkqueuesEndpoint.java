package io.lazyworkqueue.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lazyworkqueue.CpuCounters;
import io.lazyworkqueue.CpuSnapshot;
import io.lazyworkqueue.CpuStats;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.PoolStats;
import io.lazyworkqueue.ThreadSnapshot;
import io.lazyworkqueue.WorkqueueConfig;
import io.lazyworkqueue.WorkqueueEvent;
import io.lazyworkqueue.WorkqueueSnapshot;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import io.lazyworkqueue.spring.PoolGroup;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code workqueues} endpoint: every workqueue with its settings and figures per CPU beside
 * the worker pools they share, and one workqueue in detail with its threads, counters and recent
 * lifecycle events. It never shows tasks or their arguments.
 */
@Endpoint(id = "workqueues")
public final class WorkqueuesEndpoint {

    private final LazyWorkqueueRegistry registry;

    private final List<PoolGroup> poolGroups;

    /**
     * @param registry the workqueues to show
     */
    public WorkqueuesEndpoint(LazyWorkqueueRegistry registry) {
        this.registry = registry;
        this.poolGroups = PoolGroup.of(registry.getExecutors().values().stream()
            .map(LazyWorkqueueTaskExecutor::getWorkqueue)
            .toList());
    }

    /** @return every workqueue, in configuration order, and the pools they share */
    @ReadOperation
    public WorkqueuesDescriptor workqueues() {
        Map<String, WorkqueueSummary> workqueues = new LinkedHashMap<>();
        registry.getExecutors().forEach((name, executor) -> workqueues.put(name, WorkqueueSummary.of(executor)));
        Map<String, PoolGroupDescriptor> pools = new LinkedHashMap<>();
        poolGroups.forEach(group -> pools.put(group.name(), PoolGroupDescriptor.of(group)));
        return new WorkqueuesDescriptor(workqueues, pools);
    }

    /**
     * @param name a workqueue's name
     * @return that workqueue in detail, or {@code null} (404) if there is none of that name
     */
    @ReadOperation
    public @Nullable WorkqueueDetail workqueue(@Selector String name) {
        LazyWorkqueueTaskExecutor executor = registry.getExecutors().get(name);
        return executor != null ? WorkqueueDetail.of(executor) : null;
    }

    /**
     * Every workqueue, and the worker pools they share.
     * @param workqueues by name
     * @param pools each group of workqueues that share pools, by its name (the sorted names of its
     * workqueues, joined with commas)
     */
    public record WorkqueuesDescriptor(Map<String, WorkqueueSummary> workqueues, Map<String, PoolGroupDescriptor> pools)
            implements OperationResponseBody {
    }

    /**
     * The pools of a group of workqueues that share them.
     * @param cpus the pool of each CPU of the group's workqueues, in ascending order
     */
    public record PoolGroupDescriptor(List<PoolDescriptor> cpus) {

        static PoolGroupDescriptor of(PoolGroup group) {
            return new PoolGroupDescriptor(group.stats().stream().map(PoolDescriptor::of).toList());
        }
    }

    /**
     * The worker pool of one CPU, read without locks.
     * @param cpu the CPU id
     * @param queues the workqueues the pool serves, in the order they joined it, those built in
     * code included
     * @param workers its live workers
     * @param idle workers waiting for work
     * @param busy workers running a task
     * @param ready tasks waiting for a worker, from all its workqueues
     * @param spawned workers started
     * @param exits workers that exited, by reason
     * @param spawnFailures worker creations that failed
     */
    public record PoolDescriptor(int cpu, List<String> queues, int workers, int idle, int busy, int ready, long spawned,
            Exits exits, long spawnFailures) {

        static PoolDescriptor of(PoolStats pool) {
            // The figures are read apart, so a worker that starts meanwhile could make busy -1.
            return new PoolDescriptor(pool.cpu(), pool.queues(), pool.workers(), pool.idle(), Math.max(0, pool.busy()),
                    pool.ready(), pool.spawned(), new Exits(pool.idleExits(), pool.shutdownExits(),
                            pool.failureExits()), pool.spawnFailures());
        }
    }

    /**
     * Workers of a pool that exited, by reason.
     * @param idle after their idle timeout
     * @param shutdown because the last workqueue they served shut down
     * @param failure of an error outside their tasks
     */
    public record Exits(long idle, long shutdown, long failure) {
    }

    /**
     * One workqueue in brief, read without locking its CPUs.
     * @param settings its effective settings
     * @param shutdown whether it no longer accepts work
     * @param liveThreads the workers of its pools, which other queues may share, and the manager while it serves it
     * @param queued tasks waiting, all CPUs
     * @param active tasks running, all CPUs
     * @param coreFailure the error that killed the manager thread and stopped the queue, if one did
     * @param cpus each CPU in brief
     */
    public record WorkqueueSummary(Settings settings, boolean shutdown, int liveThreads, int queued, int active,
            @Nullable String coreFailure, List<CpuSummary> cpus) {

        static WorkqueueSummary of(LazyWorkqueueTaskExecutor executor) {
            LazyWorkqueue workqueue = executor.getWorkqueue();
            List<CpuSummary> cpus = workqueue.stats().stream().map(CpuSummary::of).toList();
            return new WorkqueueSummary(Settings.of(executor), workqueue.isShutdown(), workqueue.liveThreads(),
                    cpus.stream().mapToInt(CpuSummary::queued).sum(), cpus.stream().mapToInt(CpuSummary::active).sum(),
                    workqueue.coreFailure(), cpus);
        }
    }

    /**
     * One CPU of a workqueue in brief.
     * @param cpu its id
     * @param state what it is doing: {@code NO_THREAD}, {@code STARTING}, {@code RUNNING},
     * {@code IDLE} or {@code FALLBACK}
     * @param threads its live workers
     * @param queued tasks waiting
     * @param active tasks running
     * @param stalledSince since when its queued work has not moved, if stalled
     */
    public record CpuSummary(int cpu, String state, int threads, int queued, int active, @Nullable Instant stalledSince) {

        static CpuSummary of(CpuStats cpu) {
            return new CpuSummary(cpu.cpu(), cpu.state().name(), cpu.threads(), cpu.queued(), cpu.active(),
                    cpu.stalledSince());
        }
    }

    /**
     * One workqueue in detail.
     * @param name its name
     * @param settings its effective settings
     * @param shutdown whether it no longer accepts work
     * @param liveThreads the workers of its pools, which other queues may share, and the manager while it serves it
     * @param coreThread the manager thread while it serves the queue
     * @param coreFailure the error that killed the manager thread and stopped the queue, if one did
     * @param scheduled delayed tasks not yet due
     * @param cpus each CPU
     * @param events recent lifecycle events, newest first
     */
    public record WorkqueueDetail(String name, Settings settings, boolean shutdown, int liveThreads,
            @Nullable ThreadDescriptor coreThread, @Nullable String coreFailure, int scheduled, List<CpuDetail> cpus,
            List<EventDescriptor> events) implements OperationResponseBody {

        static WorkqueueDetail of(LazyWorkqueueTaskExecutor executor) {
            WorkqueueSnapshot snapshot = executor.getWorkqueue().snapshot();
            ThreadSnapshot core = snapshot.coreThread();
            return new WorkqueueDetail(snapshot.config().name(), Settings.of(executor), snapshot.shutdown(),
                    snapshot.liveThreads(), core != null ? ThreadDescriptor.of(core) : null, snapshot.coreFailure(),
                    snapshot.scheduled(), snapshot.cpus().stream().map(CpuDetail::of).toList(),
                    snapshot.recentEvents().stream().map(EventDescriptor::of).toList());
        }
    }

    /**
     * A workqueue's effective settings, named as its properties are.
     * @param cpus its CPUs as a cpulist
     * @param coreCpu the CPU of ordered work
     * @param idleTimeout how long a worker waits for work
     * @param maxActive tasks of the workqueue that run on one CPU at once, at most
     * @param affinity whether threads are pinned: {@code STRICT} or {@code NONE}
     * @param cpuSelection how tasks get a CPU
     * @param queueCapacity tasks per CPU queue; {@code null} when unbounded
     * @param rejection what a submitter meets when a queue is full
     * @param threadNamePrefix the start of its threads' names
     * @param watchdogThreshold when queued work that does not move counts as stalled; zero when off
     * @param concurrencyThreshold how long a worker may run one task before its pool may start
     * another worker for the work behind it
     * @param dedicated whether the workqueue has pools of its own
     * @param awaitTerminationPeriod how long its work may take once the application stops
     */
    public record Settings(String cpus, int coreCpu, Duration idleTimeout, int maxActive, String affinity,
            String cpuSelection, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Integer queueCapacity,
            String rejection, String threadNamePrefix, Duration watchdogThreshold, Duration concurrencyThreshold,
            boolean dedicated, Duration awaitTerminationPeriod) {

        static Settings of(LazyWorkqueueTaskExecutor executor) {
            WorkqueueConfig config = executor.getWorkqueue().config();
            return new Settings(config.cpus().toString(), config.coreCpu(), config.idleTimeout(), config.maxActive(),
                    config.affinity().name(), config.cpuSelection().name(),
                    config.unbounded() ? null : config.queueCapacity(), config.rejection().name(),
                    config.threadNamePrefix(), config.watchdogThreshold(), config.concurrencyThreshold(),
                    config.dedicated(), executor.getAwaitTerminationPeriod());
        }
    }

    /**
     * One CPU of a workqueue in detail.
     * @param cpu its id
     * @param state what it is doing
     * @param threads its live workers
     * @param queued tasks waiting
     * @param active tasks running
     * @param stalledSince since when its queued work has not moved, if stalled
     * @param counters totals since start
     */
    public record CpuDetail(int cpu, String state, List<ThreadDescriptor> threads, int queued, int active,
            @Nullable Instant stalledSince, Counters counters) {

        static CpuDetail of(CpuSnapshot cpu) {
            return new CpuDetail(cpu.cpu(), cpu.state().name(),
                    cpu.threads().stream().map(ThreadDescriptor::of).toList(), cpu.queued(), cpu.active(),
                    cpu.stalledSince(), Counters.of(cpu.counters()));
        }
    }

    /**
     * Totals of one CPU since the workqueue started.
     * @param spawns workers started
     * @param idleExits workers that exited after their idle timeout
     * @param shutdownExits workers that exited because the workqueue shut down
     * @param failureExits workers that died of an error outside their tasks
     * @param spawnFailures worker creations that failed
     * @param fallbackRuns tasks the manager thread ran because no worker could be created
     * @param completed tasks that returned normally
     * @param failed tasks that threw
     * @param rejected tasks refused
     */
    public record Counters(long spawns, long idleExits, long shutdownExits, long failureExits, long spawnFailures,
            long fallbackRuns, long completed, long failed, long rejected) {

        static Counters of(CpuCounters counters) {
            return new Counters(counters.spawns(), counters.idleExits(), counters.shutdownExits(),
                    counters.failureExits(), counters.spawnFailures(), counters.fallbackRuns(), counters.completed(),
                    counters.failed(), counters.rejected());
        }
    }

    /**
     * One live thread.
     * @param name its name
     * @param nativeThreadId the kernel's thread id, -1 if unknown
     * @param pinnedCpu the CPU it is pinned to; {@code null} when it runs unpinned
     * @param startedAt when it started
     * @param lastActiveAt when it last went idle, or its start
     * @param tasksCompleted tasks it has run
     */
    public record ThreadDescriptor(String name, long nativeThreadId,
            @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Integer pinnedCpu, Instant startedAt,
            Instant lastActiveAt, long tasksCompleted) {

        static ThreadDescriptor of(ThreadSnapshot thread) {
            return new ThreadDescriptor(thread.name(), thread.nativeThreadId(), thread.pinnedCpu(), thread.startedAt(),
                    thread.lastActiveAt(), thread.completedTasks());
        }
    }

    /**
     * One lifecycle event.
     * @param time when it happened
     * @param cpu the CPU it concerns
     * @param type what happened
     * @param thread the thread it concerns
     * @param detail an explanation
     */
    public record EventDescriptor(Instant time, int cpu, String type, String thread, String detail) {

        static EventDescriptor of(WorkqueueEvent event) {
            return new EventDescriptor(event.time(), event.cpu(), event.type().name(), event.thread(), event.detail());
        }
    }
}
