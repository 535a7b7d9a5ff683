package io.lazyworkqueue;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An immutable picture of a workqueue. Each CPU's figures are read at a slightly different
 * moment, so totals across CPUs are approximate while work is moving.
 * @param config the workqueue's settings
 * @param takenAt when the picture was taken, by the workqueue's clock
 * @param shutdown whether the workqueue no longer accepts work
 * @param terminated whether the workqueue has shut down and no task of it is queued or running
 * @param coreThread the manager thread while it serves the workqueue (work waits or a timer is
 * pending), or {@code null}; it serves every workqueue of the same clock
 * @param coreFailure the error that killed the manager thread, which stopped the workqueue;
 * {@code null} while it has not died
 * @param scheduled delayed tasks whose delay has not passed yet
 * @param cpus each CPU of the workqueue, in ascending order
 * @param recentEvents the most recent lifecycle events, newest first
 */
public record WorkqueueSnapshot(WorkqueueConfig config, Instant takenAt, boolean shutdown, boolean terminated,
        @Nullable ThreadSnapshot coreThread, @Nullable String coreFailure, int scheduled, List<CpuSnapshot> cpus, List<WorkqueueEvent> recentEvents) {

    /**
     * Copies {@code cpus} and {@code recentEvents}, so that the snapshot does not change with the lists it
     * was given.
     * @param config the workqueue's settings
     * @param takenAt when the picture was taken
     * @param shutdown whether the workqueue no longer accepts work
     * @param terminated whether the workqueue has shut down and no task of it is queued or running
     * @param coreThread the manager thread while it serves the workqueue, or {@code null}
     * @param coreFailure the error that killed the manager thread, or {@code null}
     * @param scheduled delayed tasks whose delay has not passed yet
     * @param cpus each CPU of the workqueue, in ascending order
     * @param recentEvents the most recent lifecycle events, newest first
     */
    public WorkqueueSnapshot {
        cpus = List.copyOf(cpus);
        recentEvents = List.copyOf(recentEvents);
    }

    /** @return live workers of the pools of all CPUs, which other workqueues may share, and the manager while it serves */
    public int liveThreads() {
        return cpus.stream().mapToInt(cpu -> cpu.threads().size()).sum() + (coreThread != null ? 1 : 0);
    }

    /** @return tasks waiting in all CPUs' queues */
    public int queued() {
        return cpus.stream().mapToInt(CpuSnapshot::queued).sum();
    }

    /** @return tasks running on all CPUs */
    public int active() {
        return cpus.stream().mapToInt(CpuSnapshot::active).sum();
    }

    /**
     * @param cpu a CPU id of the workqueue
     * @return that CPU's picture
     * @throws IllegalArgumentException if the workqueue has no such CPU
     */
    public CpuSnapshot cpu(int cpu) {
        return cpus.stream()
            .filter(snapshot -> snapshot.cpu() == cpu)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(
                    "Workqueue '" + config.name() + "' has no CPU " + cpu + " (its CPUs: " + config.cpus() + ")"));
    }
}
