package io.lazyworkqueue.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lazyworkqueue.CpuCounters;
import io.lazyworkqueue.CpuSnapshot;
import io.lazyworkqueue.ThreadSnapshot;
import io.lazyworkqueue.WorkqueueConfig;
import io.lazyworkqueue.WorkqueueEvent;
import io.lazyworkqueue.WorkqueueSnapshot;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code workqueues} endpoint: every workqueue with its settings and a line per CPU, and one
 * workqueue in detail with its threads, counters and recent lifecycle events. It never shows
 * tasks or their arguments.
 */
@Endpoint(id = "workqueues")
public final class WorkqueuesEndpoint {

    private final LazyWorkqueueRegistry registry;

    /**
     * @param registry the workqueues to show
     */
    public WorkqueuesEndpoint(LazyWorkqueueRegistry registry) {
        this.registry = registry;
    }

    /** @return every workqueue, in configuration order */
    @ReadOperation
    public WorkqueuesDescriptor workqueues() {
        Map<String, WorkqueueSummary> workqueues = new LinkedHashMap<>();
        registry.getExecutors().forEach((name, executor) -> workqueues.put(name, summary(executor)));
        return new WorkqueuesDescriptor(workqueues);
    }

    /**
     * @param name a workqueue's name
     * @return that workqueue in detail, or {@code null} (404) if there is none of that name
     */
    @ReadOperation
    public @Nullable WorkqueueDetail workqueue(@Selector String name) {
        LazyWorkqueueTaskExecutor executor = registry.getExecutors().get(name);
        return executor != null ? detail(executor.getWorkqueue().snapshot()) : null;
    }

    private static WorkqueueSummary summary(LazyWorkqueueTaskExecutor executor) {
        WorkqueueSnapshot snapshot = executor.getWorkqueue().snapshot();
        List<String> cpus = snapshot.cpus().stream()
            .map(cpu -> "cpu " + cpu.cpu() + ": " + cpu.state() + ", " + cpu.threads().size() + " thread(s), "
                    + cpu.queued() + " queued, " + cpu.active() + " active"
                    + (cpu.stalledSince() != null ? ", STALLED since " + cpu.stalledSince() : ""))
            .toList();
        return new WorkqueueSummary(Settings.of(snapshot.config()), snapshot.liveThreads(), snapshot.queued(),
                snapshot.active(), cpus);
    }

    private static WorkqueueDetail detail(WorkqueueSnapshot snapshot) {
        return new WorkqueueDetail(snapshot.config().name(), Settings.of(snapshot.config()), snapshot.shutdown(),
                snapshot.liveThreads(), snapshot.coreThread() != null ? ThreadDescriptor.of(snapshot.coreThread()) : null,
                snapshot.coreFailure(), snapshot.scheduled(), snapshot.cpus().stream().map(CpuDescriptor::of).toList(),
                snapshot.recentEvents().stream().map(EventDescriptor::of).toList());
    }

    /**
     * Every workqueue.
     * @param workqueues by name
     */
    public record WorkqueuesDescriptor(Map<String, WorkqueueSummary> workqueues) implements OperationResponseBody {
    }

    /**
     * One workqueue in brief.
     * @param settings its effective settings
     * @param liveThreads its live threads, the core thread included
     * @param queued tasks waiting
     * @param active tasks running
     * @param cpus one line per CPU
     */
    public record WorkqueueSummary(Settings settings, int liveThreads, int queued, int active, List<String> cpus) {
    }

    /**
     * One workqueue in detail.
     * @param name its name
     * @param settings its effective settings
     * @param shutdown whether it no longer accepts work
     * @param liveThreads its live threads, the core thread included
     * @param coreThread its core thread, if running
     * @param coreFailure the error that killed its core thread and stopped it, if one did
     * @param scheduled delayed tasks not yet due
     * @param cpus each CPU
     * @param events recent lifecycle events, newest first
     */
    public record WorkqueueDetail(String name, Settings settings, boolean shutdown, int liveThreads,
            @Nullable ThreadDescriptor coreThread, @Nullable String coreFailure, int scheduled, List<CpuDescriptor> cpus,
            List<EventDescriptor> events) implements OperationResponseBody {
    }

    /**
     * A workqueue's effective settings.
     * @param cpus its CPUs as a cpulist
     * @param coreCpu the core thread's CPU
     * @param idleTimeout how long a worker waits for work
     * @param maxActive workers per CPU
     * @param affinity whether threads are pinned
     * @param cpuSelection how tasks get a CPU
     * @param queueCapacity tasks per CPU queue, or "unbounded"
     * @param rejection what a submitter meets when a queue is full
     * @param watchdogThreshold when queued work that does not move counts as stalled
     */
    public record Settings(String cpus, int coreCpu, Duration idleTimeout, int maxActive, String affinity,
            String cpuSelection, String queueCapacity, String rejection, Duration watchdogThreshold) {

        static Settings of(WorkqueueConfig config) {
            return new Settings(config.cpus().toString(), config.coreCpu(), config.idleTimeout(), config.maxActive(),
                    config.affinity().name(), config.cpuSelection().name(),
                    config.unbounded() ? "unbounded" : String.valueOf(config.queueCapacity()),
                    config.rejection().name(), config.watchdogThreshold());
        }
    }

    /**
     * One CPU of a workqueue.
     * @param cpu its id
     * @param state what it is doing
     * @param threads its live workers
     * @param queued tasks waiting
     * @param active tasks running
     * @param stalledSince since when its queued work has not moved, if stalled
     * @param counters totals since start
     */
    public record CpuDescriptor(int cpu, String state, List<ThreadDescriptor> threads, int queued, int active,
            @Nullable Instant stalledSince, CpuCounters counters) {

        static CpuDescriptor of(CpuSnapshot cpu) {
            return new CpuDescriptor(cpu.cpu(), cpu.state().name(),
                    cpu.threads().stream().map(ThreadDescriptor::of).toList(), cpu.queued(), cpu.active(),
                    cpu.stalledSince(), cpu.counters());
        }
    }

    /**
     * One live thread.
     * @param name its name
     * @param nativeThreadId the kernel's thread id, -1 if unknown
     * @param pinnedCpu the CPU it is pinned to, or "unpinned"
     * @param startedAt when it started
     * @param lastActiveAt when it last went idle, or its start
     * @param tasksCompleted tasks it has run
     */
    public record ThreadDescriptor(String name, long nativeThreadId, Object pinnedCpu, Instant startedAt,
            Instant lastActiveAt, long tasksCompleted) {

        static ThreadDescriptor of(ThreadSnapshot thread) {
            return new ThreadDescriptor(thread.name(), thread.nativeThreadId(),
                    thread.pinnedCpu() != null ? thread.pinnedCpu() : "unpinned", thread.startedAt(),
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
