package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.awaitility.Awaitility.await;

class ScheduleTests {

    private final ManualClock clock = new ManualClock();

    private final List<String> ran = new CopyOnWriteArrayList<>();

    private LazyWorkqueue workqueue(String name) {
        return LazyWorkqueue.builder(name).cpus("0-3").affinity(AffinityMode.NONE).clock(clock)
            .idleTimeout(Duration.ofMinutes(5)).build();
    }

    private Runnable record(String what) {
        return () -> ran.add(what + "@" + Thread.currentThread().getName());
    }

    @Test
    void delayedWorkIsQueuedOnItsCpuOnceTheDelayHasPassed() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("delayed")) {
            ScheduledFuture<?> handle = workqueue.scheduleOn(2, record("late"), Duration.ofSeconds(5));

            assertThat(workqueue.snapshot().scheduled()).isEqualTo(1);
            assertThat(handle.getDelay(TimeUnit.SECONDS)).isEqualTo(5);
            clock.advance(Duration.ofSeconds(4));
            assertThat(handle.getDelay(TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(workqueue.snapshot().scheduled()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(1));

            handle.get(10, TimeUnit.SECONDS);
            assertThat(ran).containsExactly("late@delayed/2:0");
            assertThat(workqueue.snapshot().scheduled()).isZero();
        }
    }

    @Test
    void delayedWorkFiresInDeadlineOrder() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("order")) {
            workqueue.scheduleOn(1, record("third"), Duration.ofSeconds(3));
            workqueue.scheduleOn(1, record("first"), Duration.ofSeconds(1));
            ScheduledFuture<?> last = workqueue.scheduleOn(1, record("fourth"), Duration.ofSeconds(3));
            workqueue.scheduleOn(1, record("second"), Duration.ofSeconds(2));

            clock.advance(Duration.ofSeconds(3));

            last.get(10, TimeUnit.SECONDS);
            assertThat(ran).containsExactly("first@order/1:0", "second@order/1:0", "third@order/1:0",
                    "fourth@order/1:0");
        }
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("cancel")) {
            ScheduledFuture<?> cancelled = workqueue.scheduleOn(0, record("cancelled"), Duration.ofSeconds(5));
            ScheduledFuture<?> marker = workqueue.scheduleOn(0, record("marker"), Duration.ofSeconds(5));

            assertThat(cancelled.cancel(false)).isTrue();
            assertThat(workqueue.snapshot().scheduled()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(5));

            marker.get(10, TimeUnit.SECONDS);
            assertThat(ran).containsExactly("marker@cancel/0:0");
            assertThat(cancelled.isCancelled()).isTrue();
            assertThatExceptionOfType(CancellationException.class).isThrownBy(cancelled::get);
        }
    }

    @Test
    void cancellingTwoHundredThousandDelayedTasksIsQuickAndTheOthersStillFireInOrder() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("mass-cancel")) {
            List<ScheduledFuture<?>> doomed = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            ScheduledFuture<?> lastKept = null;
            for (int i = 0; i < 200_000; i++) {
                Duration delay = Duration.ofSeconds(1).plusNanos(1_000L * i);
                if (i % 20_000 == 10_000) {
                    lastKept = workqueue.scheduleOn(0, record("kept" + i), delay);
                    expected.add("kept" + i + "@mass-cancel/0:0");
                }
                else {
                    doomed.add(workqueue.scheduleOn(0, record("doomed" + i), delay));
                }
            }
            assertThat(workqueue.snapshot().scheduled()).isEqualTo(200_000);

            // Latest first: a search through the timers for each task would visit nearly all of
            // them every time, about 2 * 10^10 steps; a heap that knows each task's place takes
            // a few million. The bound is far above the one and far below the other.
            assertTimeout(Duration.ofSeconds(3), () -> {
                for (int i = doomed.size() - 1; i >= 0; i--) {
                    assertThat(doomed.get(i).cancel(false)).isTrue();
                }
            });

            assertThat(workqueue.snapshot().scheduled()).isEqualTo(expected.size());
            clock.advance(Duration.ofSeconds(2));
            lastKept.get(10, TimeUnit.SECONDS);
            assertThat(ran).containsExactlyElementsOf(expected);
            assertThat(workqueue.snapshot().scheduled()).isZero();
            assertThat(doomed).allMatch(ScheduledFuture::isCancelled);
        }
    }

    @Test
    void aZeroDelayQueuesAtOnce() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("zero")) {
            workqueue.scheduleOn(3, record("now"), Duration.ZERO).get(10, TimeUnit.SECONDS);

            assertThat(ran).containsExactly("now@zero/3:0");
        }
    }

    @Test
    void scheduleUsesTheCpuSelection() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("rr").cpus("0-1").affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ROUND_ROBIN).clock(clock).idleTimeout(Duration.ofMinutes(5)).build()) {
            workqueue.schedule(record("a"), Duration.ofSeconds(1));
            ScheduledFuture<?> b = workqueue.schedule(record("b"), Duration.ofSeconds(1));

            clock.advance(Duration.ofSeconds(1));

            b.get(10, TimeUnit.SECONDS);
            await().untilAsserted(() -> assertThat(ran).containsExactlyInAnyOrder("a@rr/0:0", "b@rr/1:0"));
        }
    }

    @Test
    void aNegativeDelayIsRefused() {
        try (LazyWorkqueue workqueue = workqueue("negative")) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> workqueue.schedule(record("never"), Duration.ofMillis(-1)))
                .withMessage("delay must be zero or positive, was PT-0.001S");
        }
    }

    @Test
    void shutdownCancelsDelayedWorkThatHasNotBeenQueued() throws Exception {
        LazyWorkqueue workqueue = workqueue("shutdown-cancels");
        ScheduledFuture<?> pending = workqueue.schedule(record("never"), Duration.ofSeconds(5));

        workqueue.shutdown();

        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pending.isCancelled()).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(ran).isEmpty();
        assertThatExceptionOfType(RejectedExecutionException.class)
            .isThrownBy(() -> workqueue.scheduleOn(1, record("late"), Duration.ofSeconds(1)))
            .withMessage("Workqueue 'shutdown-cancels' has shut down and accepts no work");
        assertThat(workqueue.snapshot().cpu(1).counters().rejected()).isEqualTo(1);
    }

    @Test
    void shutdownNowHandsBackDelayedWorkThatHasNotBeenQueued() throws Exception {
        LazyWorkqueue workqueue = workqueue("shutdown-now");
        ScheduledFuture<?> pending = workqueue.schedule(record("never"), Duration.ofSeconds(5));

        List<Runnable> neverRan = workqueue.shutdownNow();

        assertThat(neverRan).containsExactly((Runnable) pending);
        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isEmpty();
    }
}
