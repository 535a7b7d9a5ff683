package io.lazyworkqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TaskTimingTests {

    @RegisterExtension
    final EngineLog log = new EngineLog();

    private record Timing(int cpu, long waitNanos, long runNanos) {
    }

    @Test
    void aTimingListenerHearsHowLongEachTaskWaitedAndRan() throws Exception {
        List<Timing> timings = new CopyOnWriteArrayList<>();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("timed").cpus("0-3").affinity(AffinityMode.NONE).build()) {
            workqueue.submit(() -> { }).get(10, TimeUnit.SECONDS);
            TaskTimingListener listener = (cpu, waitNanos, runNanos) -> timings.add(new Timing(cpu, waitNanos, runNanos));
            workqueue.addTaskTimingListener(listener);

            CountDownLatch secondQueued = new CountDownLatch(1);
            workqueue.executeOn(2, () -> {
                LazyWorkqueueTests.awaitQuietly(secondQueued);
                busyFor(Duration.ofMillis(5));
            });
            workqueue.executeOn(2, () -> { });
            secondQueued.countDown();
            workqueue.flush();

            await().until(() -> timings.size() == 2);
            assertThat(timings).allSatisfy(timing -> {
                assertThat(timing.cpu()).isEqualTo(2);
                assertThat(timing.waitNanos()).isNotNegative();
            });
            assertThat(timings.get(0).runNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(5).toNanos());
            assertThat(timings.get(1).waitNanos()).as("the second task waited for the first")
                .isGreaterThanOrEqualTo(Duration.ofMillis(5).toNanos());

            workqueue.removeTaskTimingListener(listener);
            workqueue.executeOn(1, () -> { });
            workqueue.flush();
            assertThat(timings).hasSize(2);
        }
    }

    @Test
    void severalTimingListenersEachHearEveryTaskAndRemovingOneLeavesTheOthers() throws Exception {
        List<Integer> first = new CopyOnWriteArrayList<>();
        List<Integer> second = new CopyOnWriteArrayList<>();
        TaskTimingListener firstListener = (cpu, waitNanos, runNanos) -> first.add(cpu);
        TaskTimingListener secondListener = (cpu, waitNanos, runNanos) -> second.add(cpu);
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("observed").cpus("0-1").affinity(AffinityMode.NONE).build()) {
            workqueue.addTaskTimingListener(firstListener);
            workqueue.addTaskTimingListener(secondListener);
            workqueue.addTaskTimingListener(firstListener);
            workqueue.executeOn(0, () -> { });
            workqueue.executeOn(1, () -> { });
            workqueue.flush();
            await().until(() -> first.size() == 2 && second.size() == 2);
            assertThat(first).containsExactlyInAnyOrder(0, 1);

            workqueue.removeTaskTimingListener(firstListener);
            workqueue.executeOn(1, () -> { });
            workqueue.flush();
            await().until(() -> second.size() == 3);
            assertThat(first).hasSize(2);
        }
    }

    @Test
    void aThrowingTimingListenerDoesNotKeepTheNextOneFromHearing() throws Exception {
        List<Integer> heard = new CopyOnWriteArrayList<>();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("observed").cpus("0").affinity(AffinityMode.NONE).build()) {
            TaskTimingListener throwing = (cpu, waitNanos, runNanos) -> {
                throw new IllegalStateException("listener broke");
            };
            workqueue.addTaskTimingListener(throwing);
            workqueue.addTaskTimingListener((cpu, waitNanos, runNanos) -> heard.add(cpu));
            for (int task = 0; task < 3; task++) {
                workqueue.executeOn(0, () -> { });
            }
            workqueue.flush();
            await().until(() -> heard.size() == 3);

            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).isEqualTo("Timing tasks for listener " + throwing
                        + " of workqueue 'observed' failed; further failures are logged at DEBUG");
                assertThat(record.getThrown()).hasMessage("listener broke");
            });
        }
    }

    private static void busyFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
