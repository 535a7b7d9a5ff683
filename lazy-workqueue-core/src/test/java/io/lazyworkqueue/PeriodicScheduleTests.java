package io.lazyworkqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Periodic work, driven by a clock that moves only when the test moves it: a schedule whose next
 * deadline lies ahead cannot fire, so what has not run by then never runs early.
 */
class PeriodicScheduleTests {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();

    private final long origin = clock.nanoTime();

    /** When each run started, from the clock's origin. */
    private final List<Duration> runs = new CopyOnWriteArrayList<>();

    private final List<String> threads = new CopyOnWriteArrayList<>();

    private LazyWorkqueue workqueue(String name) {
        return LazyWorkqueue.builder(name).cpus("0-3").affinity(AffinityMode.NONE).clock(clock)
            .idleTimeout(Duration.ofMinutes(5)).build();
    }

    private void recordRun() {
        runs.add(Duration.ofNanos(clock.nanoTime() - origin));
        threads.add(Thread.currentThread().getName());
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** Waits until the schedule has run so often and is pending again, due after {@code next}. */
    private static void awaitPending(LazyWorkqueue workqueue, ScheduledFuture<?> handle, List<Duration> runs,
            int count, Duration next) {
        await().untilAsserted(() -> {
            assertThat(runs).hasSize(count);
            assertThat(Duration.ofNanos(handle.getDelay(TimeUnit.NANOSECONDS))).isEqualTo(next);
            assertThat(workqueue.snapshot().scheduled()).isEqualTo(1);
        });
    }

    @Test
    void aFixedRateScheduleRunsOnceTheInitialDelayHasPassedAndThenEveryPeriod() {
        try (LazyWorkqueue workqueue = workqueue("rate")) {
            ScheduledFuture<?> handle = workqueue.scheduleAtFixedRateOn(1, this::recordRun, seconds(2), seconds(5));
            assertThat(handle.getDelay(TimeUnit.SECONDS)).isEqualTo(2);

            clock.advance(SECOND);
            assertThat(handle.getDelay(TimeUnit.SECONDS)).isEqualTo(1);
            clock.advance(SECOND);
            awaitPending(workqueue, handle, runs, 1, seconds(5));

            clock.advance(seconds(4));
            assertThat(runs).hasSize(1);
            clock.advance(SECOND);
            awaitPending(workqueue, handle, runs, 2, seconds(5));
            clock.advance(seconds(5));
            awaitPending(workqueue, handle, runs, 3, seconds(5));

            assertThat(runs).containsExactly(seconds(2), seconds(7), seconds(12));
            assertThat(threads).containsOnly("rate/1:0");
            assertThat(handle.isDone()).isFalse();
            assertThat(handle.cancel(false)).isTrue();
            assertThat(workqueue.snapshot().scheduled()).isZero();
        }
    }

    @Test
    void aFixedDelayScheduleWaitsTheDelayFromTheEndOfEachRun() {
        try (LazyWorkqueue workqueue = workqueue("delay")) {
            // Each run takes 3 seconds of the clock.
            ScheduledFuture<?> handle = workqueue.scheduleWithFixedDelayOn(0, () -> {
                recordRun();
                clock.advance(seconds(3));
            }, SECOND, seconds(5));

            clock.advance(SECOND);
            awaitPending(workqueue, handle, runs, 1, seconds(5));
            clock.advance(seconds(5));
            awaitPending(workqueue, handle, runs, 2, seconds(5));

            assertThat(runs).containsExactly(seconds(1), seconds(9));
        }
    }

    @Test
    void aFixedRateScheduleCountsThePeriodFromTheDeadlineNotFromTheEndOfTheRun() {
        try (LazyWorkqueue workqueue = workqueue("rate-long-run")) {
            ScheduledFuture<?> handle = workqueue.scheduleAtFixedRateOn(0, () -> {
                recordRun();
                clock.advance(seconds(3));
            }, SECOND, seconds(5));

            clock.advance(SECOND);
            awaitPending(workqueue, handle, runs, 1, seconds(2));
            clock.advance(seconds(2));
            awaitPending(workqueue, handle, runs, 2, seconds(2));

            assertThat(runs).containsExactly(seconds(1), seconds(6));
        }
    }

    @Test
    void aRunThatOverrunsItsPeriodIsFollowedByOneRunAtOnceNotByABurst() {
        try (LazyWorkqueue workqueue = workqueue("overrun")) {
            AtomicInteger started = new AtomicInteger();
            // The first run takes 2.5 periods; a burst would run twice more at once, for 2 s and 3 s.
            ScheduledFuture<?> handle = workqueue.scheduleAtFixedRateOn(0, () -> {
                recordRun();
                if (started.incrementAndGet() == 1) {
                    clock.advance(seconds(2.5));
                }
            }, SECOND, SECOND);

            clock.advance(SECOND);
            awaitPending(workqueue, handle, runs, 2, seconds(0.5));

            assertThat(runs).containsExactly(seconds(1), seconds(3.5));
            clock.advance(seconds(0.5));
            awaitPending(workqueue, handle, runs, 3, SECOND);
            assertThat(runs).containsExactly(seconds(1), seconds(3.5), seconds(4));
        }
    }

    @Test
    void aScheduleThatFiresLateCatchesUpWithOneRunNotWithOnePerMissedPeriod() {
        try (LazyWorkqueue workqueue = workqueue("late")) {
            ScheduledFuture<?> handle = workqueue.scheduleAtFixedRateOn(2, this::recordRun, SECOND, SECOND);

            // Due at 1 s, fired at 4.5 s: the deadlines of 2 s and 3 s are skipped, that of 4 s
            // is made up for at once, and the next stays on the grid, at 5 s.
            clock.advance(seconds(4.5));
            awaitPending(workqueue, handle, runs, 2, seconds(0.5));

            assertThat(runs).containsExactly(seconds(4.5), seconds(4.5));
        }
    }

    @Test
    void aZeroInitialDelayRunsAtOnce() {
        try (LazyWorkqueue workqueue = workqueue("zero")) {
            ScheduledFuture<?> handle = workqueue.scheduleWithFixedDelayOn(3, this::recordRun, Duration.ZERO, SECOND);

            awaitPending(workqueue, handle, runs, 1, SECOND);
            assertThat(threads).containsExactly("zero/3:0");
        }
    }

    @Test
    void eachRunGoesToTheCpuTheSelectionPicksWhenItIsDue() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("rr").cpus("0-1").affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ROUND_ROBIN).clock(clock).idleTimeout(Duration.ofMinutes(5)).build()) {
            ScheduledFuture<?> handle = workqueue.scheduleWithFixedDelay(this::recordRun, SECOND, SECOND);

            for (int run = 1; run <= 3; run++) {
                clock.advance(SECOND);
                awaitPending(workqueue, handle, runs, run, SECOND);
            }

            assertThat(threads).containsExactly(threads.get(0), threads.get(1), threads.get(0))
                .containsOnly("rr/0:0", "rr/1:0");
        }
    }

    @Test
    void aScheduleCancelledBeforeItsFirstRunNeverRuns() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("cancel-early")) {
            ScheduledFuture<?> handle = workqueue.scheduleAtFixedRateOn(0, this::recordRun, SECOND, SECOND);

            assertThat(handle.cancel(false)).isTrue();
            assertThat(workqueue.snapshot().scheduled()).isZero();
            ScheduledFuture<?> marker = workqueue.scheduleOn(0, () -> { }, seconds(3));
            clock.advance(seconds(3));

            marker.get(10, TimeUnit.SECONDS);
            assertThat(runs).isEmpty();
            assertThat(handle.isCancelled()).isTrue();
            assertThatExceptionOfType(CancellationException.class).isThrownBy(handle::get);
        }
    }

    @Test
    void aScheduleCancelledDuringARunFinishesThatRunAndRunsNoMore() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("cancel-running")) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ScheduledFuture<?> handle = workqueue.scheduleAtFixedRateOn(0, () -> {
                recordRun();
                running.countDown();
                awaitQuietly(release);
            }, SECOND, SECOND);
            clock.advance(SECOND);
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(handle.cancel(false)).isTrue();
            release.countDown();

            await().untilAsserted(() -> assertThat(workqueue.snapshot().cpu(0).counters().completed()).isEqualTo(1));
            assertThat(workqueue.snapshot().scheduled()).isZero();
            ScheduledFuture<?> marker = workqueue.scheduleOn(0, () -> { }, seconds(3));
            clock.advance(seconds(3));
            marker.get(10, TimeUnit.SECONDS);
            assertThat(runs).hasSize(1);
            assertThat(handle.isCancelled()).isTrue();
        }
    }

    @Test
    void aRunThatThrowsEndsTheScheduleAndItsFutureSaysWhy() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("throws").cpus("0").affinity(AffinityMode.NONE)
            .clock(clock).idleTimeout(Duration.ofMinutes(5)).threadFactory(task -> {
                Thread thread = new Thread(task);
                thread.setUncaughtExceptionHandler((t, ex) -> uncaught.add(ex));
                return thread;
            }).build()) {
            ScheduledFuture<?> handle = workqueue.scheduleAtFixedRate(() -> {
                recordRun();
                if (runs.size() == 2) {
                    throw new IllegalStateException("the second run broke");
                }
            }, SECOND, SECOND);
            clock.advance(SECOND);
            awaitPending(workqueue, handle, runs, 1, SECOND);

            clock.advance(SECOND);

            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> handle.get(10, TimeUnit.SECONDS))
                .havingCause().isInstanceOf(IllegalStateException.class).withMessage("the second run broke");
            await().untilAsserted(() -> {
                assertThat(uncaught).singleElement().extracting(Throwable::getMessage).isEqualTo("the second run broke");
                assertThat(workqueue.snapshot().cpu(0).counters().failed()).isEqualTo(1);
            });
            assertThat(workqueue.snapshot().scheduled()).isZero();
            ScheduledFuture<?> marker = workqueue.scheduleOn(0, () -> { }, seconds(3));
            clock.advance(seconds(3));
            marker.get(10, TimeUnit.SECONDS);
            assertThat(runs).hasSize(2);
        }
    }

    @Test
    void shutdownCancelsAPendingSchedule() throws Exception {
        LazyWorkqueue workqueue = workqueue("shutdown-pending");
        ScheduledFuture<?> handle = workqueue.scheduleAtFixedRate(this::recordRun, SECOND, SECOND);

        workqueue.shutdown();

        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(handle.isCancelled()).isTrue();
        clock.advance(seconds(3));
        assertThat(runs).isEmpty();
    }

    @Test
    void shutdownDuringARunEndsTheScheduleAfterThatRun() throws Exception {
        LazyWorkqueue workqueue = workqueue("shutdown-running");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScheduledFuture<?> handle = workqueue.scheduleWithFixedDelayOn(1, () -> {
            recordRun();
            running.countDown();
            awaitQuietly(release);
        }, SECOND, SECOND);
        clock.advance(SECOND);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        workqueue.shutdown();
        assertThat(workqueue.isTerminated()).isFalse();
        release.countDown();

        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(handle.isCancelled()).isTrue();
        assertThat(workqueue.snapshot().scheduled()).isZero();
        assertThat(runs).hasSize(1);
    }

    @Test
    void shutdownNowHandsBackAPendingSchedule() throws Exception {
        LazyWorkqueue workqueue = workqueue("shutdown-now");
        ScheduledFuture<?> handle = workqueue.scheduleWithFixedDelay(this::recordRun, SECOND, SECOND);

        List<Runnable> neverRan = workqueue.shutdownNow();

        assertThat(neverRan).containsExactly((Runnable) handle);
        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).isEmpty();
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgumentAndValue() {
        try (LazyWorkqueue workqueue = workqueue("bad-arguments")) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> workqueue.scheduleAtFixedRate(this::recordRun, Duration.ofMillis(-1), SECOND))
                .withMessage("initialDelay must be zero or positive, was PT-0.001S");
            assertThatIllegalArgumentException()
                .isThrownBy(() -> workqueue.scheduleAtFixedRateOn(0, this::recordRun, SECOND, Duration.ZERO))
                .withMessage("period must be positive, was PT0S");
            assertThatIllegalArgumentException()
                .isThrownBy(() -> workqueue.scheduleWithFixedDelay(this::recordRun, SECOND, Duration.ofSeconds(-2)))
                .withMessage("delay must be positive, was PT-2S");
            assertThatIllegalArgumentException()
                .isThrownBy(() -> workqueue.scheduleWithFixedDelayOn(9, this::recordRun, SECOND, SECOND))
                .withMessage("cpu 9 is not one of the CPUs of workqueue 'bad-arguments' (0-3)");
            assertThat(workqueue.snapshot().scheduled()).isZero();
        }
    }

    @Test
    void aShutDownWorkqueueRefusesASchedule() {
        LazyWorkqueue workqueue = workqueue("refuses");
        workqueue.shutdown();

        assertThatExceptionOfType(RejectedExecutionException.class)
            .isThrownBy(() -> workqueue.scheduleAtFixedRateOn(2, this::recordRun, SECOND, SECOND))
            .withMessage("Workqueue 'refuses' has shut down and accepts no work");
        assertThat(workqueue.snapshot().cpu(2).counters().rejected()).isEqualTo(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
