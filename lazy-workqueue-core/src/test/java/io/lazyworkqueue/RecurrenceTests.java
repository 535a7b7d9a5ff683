package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Recurring work on a recurrence of the application's own, driven by a clock that moves only when
 * the test moves it.
 */
class RecurrenceTests {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();

    private final long origin = clock.nanoTime();

    /** When each run started, from the clock's origin. */
    private final List<Duration> runs = new CopyOnWriteArrayList<>();

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

    private LazyWorkqueue workqueue(String name) {
        return LazyWorkqueue.builder(name).cpus("0-1").affinity(AffinityMode.NONE).clock(clock)
            .idleTimeout(Duration.ofMinutes(5)).threadFactory(task -> {
                Thread thread = new Thread(task);
                thread.setUncaughtExceptionHandler((t, ex) -> uncaught.add(ex));
                return thread;
            }).build();
    }

    private void recordRun() {
        runs.add(sinceOrigin(clock.nanoTime()));
    }

    private Duration sinceOrigin(long nanos) {
        return Duration.ofNanos(nanos - origin);
    }

    private long at(Duration sinceOrigin) {
        return origin + sinceOrigin.toNanos();
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** Runs at the given times from the clock's origin, then ends; remembers what it heard. */
    private final class Timetable implements Recurrence {

        private final Deque<Duration> times;

        final List<String> heard = new CopyOnWriteArrayList<>();

        Timetable(Duration... times) {
            this.times = new ArrayDeque<>(List.of(times));
        }

        @Override
        public OptionalLong next(@Nullable ScheduledRun last, long nowNanos) {
            heard.add(last == null ? "first at " + sinceOrigin(nowNanos)
                    : "due " + sinceOrigin(last.dueNanos()) + " started " + sinceOrigin(last.startNanos())
                            + " ended " + sinceOrigin(last.endNanos()) + " asked at " + sinceOrigin(nowNanos));
            Duration next = times.poll();
            return next == null ? OptionalLong.empty() : OptionalLong.of(at(next));
        }

        @Override
        public String toString() {
            return "timetable";
        }
    }

    @Test
    void aRecurrenceSetsEachRunAndEndsTheScheduleByGivingNoNextRun() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("timetable")) {
            ScheduledFuture<?> handle = workqueue.scheduleOn(0, this::recordRun, new Timetable(seconds(1), seconds(4)));

            clock.advance(SECOND);
            await().untilAsserted(() -> assertThat(handle.getDelay(TimeUnit.SECONDS)).isEqualTo(3));
            clock.advance(seconds(3));

            assertThat(handle.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(runs).containsExactly(seconds(1), seconds(4));
            assertThat(workqueue.schedules()).isEmpty();
            assertThat(workqueue.snapshot().scheduled()).isZero();
        }
    }

    @Test
    void theRecurrenceHearsWhenEachRunWasDueStartedAndEnded() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("heard")) {
            Timetable timetable = new Timetable(seconds(1), seconds(5));
            // Each run takes 2 seconds of the clock; the first fires half a second late.
            ScheduledFuture<?> handle = workqueue.scheduleOn(1, () -> {
                recordRun();
                clock.advance(seconds(2));
            }, timetable);

            clock.advance(seconds(1.5));
            await().untilAsserted(() -> assertThat(handle.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(1500));
            clock.advance(seconds(1.5));
            handle.get(10, TimeUnit.SECONDS);

            assertThat(timetable.heard).containsExactly("first at PT0S",
                    "due PT1S started PT1.5S ended PT3.5S asked at PT3.5S",
                    "due PT5S started PT5S ended PT7S asked at PT7S");
        }
    }

    @Test
    void aRecurrenceThatGoesOnAfterAFailureKeepsTheScheduleAndTheFailureIsCounted() {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        Recurrence forgiving = new Recurrence() {
            @Override
            public OptionalLong next(@Nullable ScheduledRun last, long nowNanos) {
                return OptionalLong.of(nowNanos + SECOND.toNanos());
            }

            @Override
            public boolean continuesAfter(Throwable failure) {
                handled.add(failure);
                return true;
            }
        };
        try (LazyWorkqueue workqueue = workqueue("forgiving")) {
            ScheduledFuture<?> handle = workqueue.schedule(() -> {
                recordRun();
                if (runs.size() == 1) {
                    throw new IllegalStateException("the first run broke");
                }
            }, forgiving);

            clock.advance(SECOND);
            await().untilAsserted(() -> assertThat(workqueue.schedules()).singleElement()
                .satisfies(schedule -> assertThat(schedule.untilNextRun()).isEqualTo(SECOND)));
            clock.advance(SECOND);

            await().untilAsserted(() -> assertThat(workqueue.schedules()).singleElement().satisfies(schedule -> {
                assertThat(schedule.runs()).isEqualTo(2);
                assertThat(schedule.failures()).isEqualTo(1);
                assertThat(schedule.untilNextRun()).isEqualTo(SECOND);
            }));
            assertThat(runs).containsExactly(seconds(1), seconds(2));
            assertThat(handled).singleElement().extracting(Throwable::getMessage).isEqualTo("the first run broke");
            assertThat(uncaught).isEmpty();
            assertThat(handle.isDone()).isFalse();
        }
    }

    @Test
    void aRecurrenceThatThrowsEndsTheScheduleWithWhatItThrew() {
        Recurrence broken = (last, nowNanos) -> {
            if (last != null) {
                throw new IllegalStateException("no next run can be computed");
            }
            return OptionalLong.of(nowNanos + SECOND.toNanos());
        };
        try (LazyWorkqueue workqueue = workqueue("broken")) {
            ScheduledFuture<?> handle = workqueue.scheduleOn(0, this::recordRun, broken);

            clock.advance(SECOND);

            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> handle.get(10, TimeUnit.SECONDS))
                .havingCause().withMessage("no next run can be computed");
            await().untilAsserted(() -> assertThat(uncaught).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("no next run can be computed"));
            assertThat(runs).containsExactly(seconds(1));
            assertThat(workqueue.schedules()).isEmpty();
        }
    }

    @Test
    void aRecurrenceWithNoFirstRunGivesAHandleThatIsAlreadyDone() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("never")) {
            ScheduledFuture<?> handle = workqueue.schedule(this::recordRun, new Timetable());

            assertThat(handle.isDone()).isTrue();
            assertThat(handle.isCancelled()).isFalse();
            assertThat(handle.get()).isNull();
            assertThat(workqueue.schedules()).isEmpty();
            assertThat(workqueue.snapshot().scheduled()).isZero();
        }
    }

    @Test
    void schedulesListEachLiveScheduleWithItsRecurrenceNextRunRunsAndLastStartDelay() {
        try (LazyWorkqueue workqueue = workqueue("listed")) {
            workqueue.scheduleAtFixedRateOn(0, this::recordRun, SECOND, seconds(5));
            ScheduledFuture<?> delayed = workqueue.scheduleWithFixedDelayOn(1, () -> { }, seconds(10), seconds(3));
            workqueue.schedule(() -> { }, seconds(20));

            assertThat(workqueue.schedules()).containsExactly(
                    new ScheduleSnapshot("fixed rate PT5S", 0, SECOND, 0, 0, null),
                    new ScheduleSnapshot("fixed delay PT3S", 1, seconds(10), 0, 0, null));

            // The fixed-rate run, due at 1 s, starts at 1.5 s.
            clock.advance(seconds(1.5));
            await().untilAsserted(() -> assertThat(workqueue.schedules()).first()
                .isEqualTo(new ScheduleSnapshot("fixed rate PT5S", 0, seconds(4.5), 1, 0, seconds(0.5))));
            delayed.cancel(false);
            assertThat(workqueue.schedules()).extracting(ScheduleSnapshot::recurrence).containsExactly("fixed rate PT5S");
        }
    }

    @Test
    void withLocalSelectionEveryRunGoesToTheCpuTheScheduleWasMadeOnAndRoundRobinFollowsTheSelection() {
        try (LazyWorkqueue local = workqueue("local");
                LazyWorkqueue roundRobin = LazyWorkqueue.builder("round-robin").cpus("0-1")
                    .affinity(AffinityMode.NONE).cpuSelection(CpuSelection.ROUND_ROBIN).clock(clock).build()) {
            local.scheduleAtFixedRate(this::recordRun, SECOND, SECOND);
            roundRobin.scheduleAtFixedRate(this::recordRun, SECOND, SECOND);

            assertThat(local.schedules()).singleElement().extracting(ScheduleSnapshot::cpu)
                .isIn(0, 1);
            assertThat(roundRobin.schedules()).singleElement().extracting(ScheduleSnapshot::cpu).isEqualTo(-1);
        }
    }

    @Test
    void rescheduleMovesAPendingDelayedTaskToTheNewDelay() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("moved")) {
            ScheduledFuture<?> handle = workqueue.scheduleOn(0, this::recordRun, seconds(10));
            clock.advance(SECOND);

            assertThat(workqueue.reschedule(handle, seconds(2))).isTrue();
            assertThat(handle.getDelay(TimeUnit.SECONDS)).isEqualTo(2);
            clock.advance(seconds(2));

            handle.get(10, TimeUnit.SECONDS);
            assertThat(runs).containsExactly(seconds(3));
            assertThat(workqueue.reschedule(handle, SECOND)).isFalse();
        }
    }

    @Test
    void rescheduleMovesTheNextRunOfRecurringWorkAndLaterRunsFollowFromIt() {
        try (LazyWorkqueue workqueue = workqueue("moved-recurring")) {
            ScheduledFuture<?> handle = workqueue.scheduleAtFixedRateOn(1, this::recordRun, seconds(5), seconds(5));
            clock.advance(seconds(5));
            await().untilAsserted(() -> assertThat(handle.getDelay(TimeUnit.SECONDS)).isEqualTo(5));
            clock.advance(SECOND);

            assertThat(workqueue.reschedule(handle, SECOND)).isTrue();
            clock.advance(SECOND);
            await().untilAsserted(() -> assertThat(handle.getDelay(TimeUnit.SECONDS)).isEqualTo(5));
            clock.advance(seconds(5));

            await().untilAsserted(() -> assertThat(runs).containsExactly(seconds(5), seconds(7), seconds(12)));
        }
    }

    @Test
    void rescheduleLeavesAloneWhatItCannotMove() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("unmoved"); LazyWorkqueue other = workqueue("other")) {
            ScheduledFuture<?> othersTask = other.schedule(this::recordRun, seconds(10));
            ScheduledFuture<?> cancelled = workqueue.schedule(this::recordRun, seconds(10));
            cancelled.cancel(false);

            assertThat(workqueue.reschedule(othersTask, SECOND)).isFalse();
            assertThat(workqueue.reschedule(cancelled, SECOND)).isFalse();
            assertThat(othersTask.getDelay(TimeUnit.SECONDS)).isEqualTo(10);
            assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> other.reschedule(othersTask, seconds(-1)))
                .withMessage("delay must be zero or positive, was PT-1S");
        }
    }

    @Test
    void aTimingListenerHearsHowLateEachRunOfDelayedWorkStarted() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (LazyWorkqueue workqueue = workqueue("late-starts")) {
            workqueue.addTaskTimingListener(new TaskTimingListener() {
                @Override
                public void taskRan(int cpu, long waitNanos, long runNanos) {
                }

                @Override
                public void scheduledRun(long startDelayNanos, long runNanos, boolean failed) {
                    heard.add(Duration.ofNanos(startDelayNanos) + (failed ? " failed" : " ok"));
                }
            });
            ScheduledFuture<?> once = workqueue.schedule(() -> {
                throw new IllegalStateException("once");
            }, SECOND);
            workqueue.scheduleAtFixedRateOn(1, this::recordRun, seconds(2), seconds(2));

            clock.advance(seconds(2.25));
            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> once.get(10, TimeUnit.SECONDS));
            await().untilAsserted(() -> assertThat(heard).containsExactlyInAnyOrder("PT1.25S failed", "PT0.25S ok"));
        }
    }
}
