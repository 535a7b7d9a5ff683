package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WatchdogTests {

    @RegisterExtension
    final EngineLog log = new EngineLog();

    private final ManualClock clock = new ManualClock();

    private final CountDownLatch release = new CountDownLatch(1);

    /** A workqueue whose CPU 0 runs a task that blocks, with one more task queued behind it. */
    private LazyWorkqueue stuck(String name, Duration threshold) throws InterruptedException {
        LazyWorkqueue workqueue = LazyWorkqueue.builder(name).cpus("0-1").affinity(AffinityMode.NONE).maxActive(1).clock(clock)
            .idleTimeout(Duration.ofHours(1)).watchdogThreshold(threshold).build();
        blockCpuZeroWithOneTaskBehind(workqueue);
        return workqueue;
    }

    private void blockCpuZeroWithOneTaskBehind(LazyWorkqueue workqueue) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        workqueue.executeOn(0, () -> {
            started.countDown();
            LazyWorkqueueTests.awaitQuietly(release);
        });
        workqueue.executeOn(0, () -> { });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        if (!workqueue.config().watchdogThreshold().isZero()) {
            // The manager watches the task queued behind; its first look starts the stall clock.
            await().until(() -> clock.wakeUpOf(Threads.MANAGER).isPresent());
        }
    }

    @Test
    void queuedWorkThatDoesNotMoveForTheThresholdIsAStallUntilATaskFinishes() throws Exception {
        try (LazyWorkqueue workqueue = stuck("stuck", Duration.ofSeconds(30))) {
            advanceAndLetTheManagerLook(Duration.ofSeconds(29));
            assertThat(workqueue.snapshot(0).stalledSince()).isNull();

            advanceAndLetTheManagerLook(Duration.ofSeconds(8));
            advanceAndLetTheManagerLook(Duration.ofSeconds(8));

            CpuSnapshot cpu = workqueue.snapshot(0);
            assertThat(cpu.stalledSince()).isNotNull();
            assertThat(workqueue.stats(0).stalledSince()).isEqualTo(cpu.stalledSince());
            assertThat(workqueue.snapshot(1).stalledSince()).isNull();
            assertThat(workqueue.stats(1).stalled()).isFalse();
            assertThat(workqueue.snapshot().recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.STALLED)
                .singleElement().satisfies(event -> {
                    assertThat(event.cpu()).isZero();
                    assertThat(event.thread()).isEqualTo(Threads.MANAGER);
                    assertThat(event.detail()).startsWith("1 task(s) queued and none finished for PT3");
                });
            assertWarnedOnceAsItsEventSays(workqueue);

            release.countDown();
            await().until(() -> workqueue.snapshot(0).queued() == 0);
            assertThat(workqueue.snapshot(0).stalledSince()).isNull();
            assertThat(workqueue.stats(0).stalled()).isFalse();
        }
    }

    @Test
    void aZeroThresholdTurnsTheWatchdogOff() throws Exception {
        try (LazyWorkqueue workqueue = stuck("unwatched", Duration.ZERO)) {
            try {
                await("no manager stays to watch").until(() -> workqueue.snapshot().coreThread() == null);
                clock.advance(Duration.ofHours(1));

                assertThat(workqueue.snapshot(0).stalledSince()).isNull();
            }
            finally {
                release.countDown();
            }
        }
    }

    @Test
    void workThatArrivesAfterAQuietSpellIsNotReportedStalledWhenItIsQueued() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("quiet").cpus("0").affinity(AffinityMode.NONE).maxActive(1).clock(clock)
            .idleTimeout(Duration.ofSeconds(1)).watchdogThreshold(Duration.ofSeconds(30)).build()) {
            IdleExitTests.runOn(workqueue, 0);
            IdleExitTests.awaitIdle(workqueue, 0);
            clock.advance(Duration.ofSeconds(1));
            await().until(() -> workqueue.snapshot(0).state() == CpuState.NO_THREAD);
            clock.advance(Duration.ofHours(1));

            blockCpuZeroWithOneTaskBehind(workqueue);
            advanceAndLetTheManagerLook(Duration.ofSeconds(8));
            advanceAndLetTheManagerLook(Duration.ofSeconds(8));

            assertThat(workqueue.snapshot(0).stalledSince()).isNull();
            assertThat(workqueue.snapshot().recentEvents()).extracting(WorkqueueEvent::type)
                .doesNotContain(WorkqueueEventType.STALLED);

            advanceAndLetTheManagerLook(Duration.ofSeconds(8));
            advanceAndLetTheManagerLook(Duration.ofSeconds(8));
            assertThat(workqueue.snapshot(0).stalledSince()).isNotNull();
            assertWarnedOnceAsItsEventSays(workqueue);
            release.countDown();
        }
    }

    @Test
    void aTinyThresholdDoesNotMakeTheManagerLookMoreThanEveryTenMilliseconds() throws Exception {
        LazyWorkqueue workqueue = stuck("eager", Duration.ofNanos(1));
        try {
            advanceAndLetTheManagerLook(Duration.ofMillis(10));

            // Present and ahead of now once the manager waits again after that look.
            await().until(() -> clock.wakeUpOf(Threads.MANAGER).filter(wait -> !wait.isNegative() && !wait.isZero()).isPresent());
            assertThat(clock.wakeUpOf(Threads.MANAGER)).contains(Duration.ofMillis(10));
            assertThat(workqueue.snapshot(0).stalledSince()).isNotNull();
            assertWarnedOnceAsItsEventSays(workqueue);
        }
        finally {
            release.countDown();
            workqueue.close();
        }
    }

    @Test
    void aTaskWaitingForWorkQueuedBehindItOnItsOwnCpuIsReportedAsSuch() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("nested").cpus("0").affinity(AffinityMode.NONE).maxActive(1).clock(clock)
            .idleTimeout(Duration.ofHours(1)).watchdogThreshold(Duration.ofSeconds(30)).build()) {
            FutureTask<Void> inner = new FutureTask<>(() -> { }, null);
            CountDownLatch waiting = new CountDownLatch(1);
            workqueue.executeOn(0, () -> {
                workqueue.executeOn(0, inner);
                waiting.countDown();
                try {
                    inner.get();
                }
                catch (InterruptedException | ExecutionException | CancellationException ex) {
                    // Cancelled by the test, to end the deadlock.
                }
            });
            assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
            for (int look = 0; look < 6; look++) {
                advanceAndLetTheManagerLook(Duration.ofSeconds(8));
            }

            assertThat(workqueue.snapshot().recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.STALLED)
                .singleElement().extracting(WorkqueueEvent::detail).asString()
                .contains("nested/0:0 is WAITING in java.util.concurrent.FutureTask")
                .contains("a task that waits for work queued behind it on its own CPU waits forever");
            assertWarnedOnceAsItsEventSays(workqueue);
            inner.cancel(false);
        }
    }

    @Test
    void aManagerStuckInAFallbackTaskIsReportedWithoutItsHelp() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("rescuer").cpus("0-1").affinity(AffinityMode.NONE).maxActive(1)
            .clock(clock).threadFactory(Tasks.alwaysFailing()).watchdogThreshold(Duration.ofSeconds(30)).build()) {
            CountDownLatch started = new CountDownLatch(1);
            workqueue.executeOn(0, () -> {
                started.countDown();
                LazyWorkqueueTests.awaitQuietly(release);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(29));
            assertThat(workqueue.snapshot(0).stalledSince()).isNull();

            clock.advance(Duration.ofSeconds(2));
            CpuSnapshot cpu = workqueue.snapshot(0);
            assertThat(cpu.state()).isEqualTo(CpuState.FALLBACK);
            assertThat(cpu.stalledSince()).isNotNull();
            workqueue.snapshot(0);
            assertThat(workqueue.snapshot().recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.STALLED)
                .singleElement().satisfies(event -> {
                    assertThat(event.cpu()).isZero();
                    assertThat(event.detail()).isEqualTo("the manager thread has run one task of CPU 0 for PT31S because"
                            + " no worker could be created; spawns, timers and the watchdog of every pool wait for it");
                });
            assertWarnedOnceAsItsEventSays(workqueue);

            release.countDown();
            await().until(() -> workqueue.snapshot(0).state() != CpuState.FALLBACK);
            assertThat(workqueue.snapshot(0).stalledSince()).isNull();
        }
    }

    /** A stall is logged once, at WARNING, with what its event says. */
    private void assertWarnedOnceAsItsEventSays(LazyWorkqueue workqueue) {
        List<WorkqueueEvent> stalls = workqueue.snapshot().recentEvents().stream()
            .filter(event -> event.type() == WorkqueueEventType.STALLED)
            .toList();
        assertThat(stalls).hasSize(1);
        WorkqueueEvent stall = stalls.get(0);
        // The event is recorded just before the warning is logged.
        await().untilAsserted(() -> assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).isEqualTo("Workqueue '" + workqueue.name() + "' stalled on CPU "
                    + stall.cpu() + ": " + stall.detail());
        }));
    }

    /** Advances the clock and waits until the manager, woken by it, has looked and waits again. */
    private void advanceAndLetTheManagerLook(Duration duration) {
        long parks = clock.parks();
        clock.advance(duration);
        await().until(() -> clock.parks() > parks);
    }
}
