package io.lazyworkqueue;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A recurring task of a workqueue at one moment, without the task itself.
 * @param recurrence how it recurs, as its {@link Recurrence} describes itself
 * @param cpu the CPU every run goes to, or -1 if each goes where the workqueue's
 * {@link CpuSelection} picks when it is due
 * @param untilNextRun how long until the next run is due (negative if overdue), or {@code null}
 * while a run is queued or running
 * @param runs how many runs have ended
 * @param failures how many of them threw
 * @param lastStartDelay how long after its due time the last run started, or {@code null} before
 * the first run
 */
public record ScheduleSnapshot(String recurrence, int cpu, @Nullable Duration untilNextRun, long runs, long failures,
        @Nullable Duration lastStartDelay) {
}
