package io.lazyworkqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class CpuStatsTests {

    @RegisterExtension
    final EngineLog log = new EngineLog();

    @Test
    void aRunningTaskSeesItselfActiveOnItsCpuWithTheTasksQueuedBehindIt() throws Exception {
        CountDownLatch queuedBehind = new CountDownLatch(1);
        AtomicReference<CpuStats> seenFromTheTask = new AtomicReference<>();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("stats").cpus("0-3").affinity(AffinityMode.NONE).maxActive(1)
            .idleTimeout(Duration.ofHours(1)).build()) {
            workqueue.executeOn(2, () -> {
                LazyWorkqueueTests.awaitQuietly(queuedBehind);
                seenFromTheTask.set(workqueue.stats(2));
            });
            for (int task = 0; task < 3; task++) {
                workqueue.executeOn(2, () -> { });
            }
            queuedBehind.countDown();
            workqueue.flush();

            CpuStats running = seenFromTheTask.get();
            assertThat(running.state()).isEqualTo(CpuState.RUNNING);
            assertThat(running.threads()).isEqualTo(1);
            assertThat(running.active()).isEqualTo(1);
            assertThat(running.queued()).isEqualTo(3);
            assertThat(running.counters().completed()).isZero();

            await().until(() -> workqueue.stats(2).state() == CpuState.IDLE);
            CpuStats idle = workqueue.stats(2);
            assertThat(idle.threads()).isEqualTo(1);
            assertThat(idle.queued()).isZero();
            assertThat(idle.active()).isZero();
            assertThat(idle.counters().completed()).isEqualTo(4);
            assertThat(idle.counters().spawns()).isEqualTo(1);
            assertThat(idle.stalled()).isFalse();
            assertThat(workqueue.stats()).extracting(CpuStats::cpu).containsExactly(0, 1, 2, 3);
            assertThat(workqueue.stats(0).state()).isEqualTo(CpuState.NO_THREAD);
            await().untilAsserted(() -> assertThat(workqueue.liveThreads())
                .as("CPU 2's worker; the manager leaves once no work waits").isEqualTo(1));
        }
    }

    @Test
    void statsAgreeWithTheSnapshotOfAQuietWorkqueue() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("agree").cpus("0-1").affinity(AffinityMode.NONE).maxActive(1)
            .idleTimeout(Duration.ofHours(1)).threadFactory(task -> {
                Thread thread = new Thread(task);
                thread.setUncaughtExceptionHandler((t, ex) -> uncaught.add(ex));
                return thread;
            }).build()) {
            for (int task = 0; task < 5; task++) {
                workqueue.executeOn(task % 2, () -> { });
            }
            workqueue.execute(() -> {
                throw new IllegalStateException("a failing task");
            });
            workqueue.flush();
            await().until(() -> workqueue.stats().stream().allMatch(cpu -> cpu.state() == CpuState.IDLE
                    || cpu.state() == CpuState.NO_THREAD));

            WorkqueueSnapshot snapshot = workqueue.snapshot();
            assertThat(workqueue.stats()).zipSatisfy(snapshot.cpus(), (stats, cpu) -> {
                assertThat(stats.cpu()).isEqualTo(cpu.cpu());
                assertThat(stats.state()).isEqualTo(cpu.state());
                assertThat(stats.threads()).isEqualTo(cpu.threads().size());
                assertThat(stats.queued()).isEqualTo(cpu.queued());
                assertThat(stats.active()).isEqualTo(cpu.active());
                assertThat(stats.counters()).isEqualTo(cpu.counters());
            });
            assertThat(workqueue.liveThreads()).isEqualTo(snapshot.liveThreads());
            // The worker ends on its task's exception, as a ThreadPoolExecutor's does.
            await().untilAsserted(() -> assertThat(uncaught).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("a failing task"));
        }
    }

    @Test
    void aRejectedTaskIsCountedOnTheCpuThatRefusedIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("full").cpus("0-1").affinity(AffinityMode.NONE).maxActive(1)
            .queueCapacity(1).build()) {
            try {
                workqueue.executeOn(1, () -> {
                    started.countDown();
                    LazyWorkqueueTests.awaitQuietly(release);
                });
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                workqueue.executeOn(1, () -> { });
                assertThatExceptionOfType(RejectedExecutionException.class)
                    .isThrownBy(() -> workqueue.executeOn(1, () -> { }));

                assertThat(workqueue.stats(1).counters().rejected()).isEqualTo(1);
                assertThat(workqueue.stats(1).queued()).isEqualTo(1);
                assertThat(workqueue.stats(0).counters().rejected()).isZero();
            }
            finally {
                release.countDown();
            }
        }
    }

    @Test
    void aWorkqueueWhoseManagerDiedSaysWhyAndCountsNoManager() throws Exception {
        FailingClock clock = new FailingClock();
        LazyWorkqueue workqueue = LazyWorkqueue.builder("doomed").cpus("0-1").affinity(AffinityMode.NONE).clock(clock)
            .build();
        workqueue.submit(() -> { }).get(10, TimeUnit.SECONDS);
        assertThat(workqueue.coreFailure()).isNull();

        clock.failEveryRead(FailingClock.threadNamed(Threads.MANAGER), () -> new IllegalStateException("clock broke"));
        workqueue.schedule(() -> { }, Duration.ofMillis(1));

        await().until(() -> workqueue.coreFailure() != null);
        assertThat(workqueue.coreFailure()).isEqualTo("java.lang.IllegalStateException: clock broke");
        assertThat(workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(workqueue.liveThreads()).isZero();
        assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getMessage()).startsWith("The workqueue manager thread " + Threads.MANAGER + " died;");
            assertThat(record.getThrown()).hasMessage("clock broke");
        });
    }

    @Test
    void anUnknownCpuHasNoStats() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("small").cpus("0-1").affinity(AffinityMode.NONE).build()) {
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> workqueue.stats(5))
                .withMessageContaining("cpu 5 is not one of the CPUs of workqueue 'small'");
        }
    }
}
