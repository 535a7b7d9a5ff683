package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WatchdogTests {

    private final ManualClock clock = new ManualClock();

    private final CountDownLatch release = new CountDownLatch(1);

    /** A workqueue whose CPU 0 runs a task that blocks, with one more task queued behind it. */
    private LazyWorkqueue stuck(String name, Duration threshold) throws InterruptedException {
        LazyWorkqueue workqueue = LazyWorkqueue.builder(name).cpus("0-1").affinity(AffinityMode.NONE).clock(clock)
            .idleTimeout(Duration.ofHours(1)).watchdogThreshold(threshold).build();
        CountDownLatch started = new CountDownLatch(1);
        workqueue.executeOn(0, () -> {
            started.countDown();
            LazyWorkqueueTests.awaitQuietly(release);
        });
        workqueue.executeOn(0, () -> { });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        return workqueue;
    }

    @Test
    void queuedWorkThatDoesNotMoveForTheThresholdIsAStallUntilATaskFinishes() throws Exception {
        try (LazyWorkqueue workqueue = stuck("stuck", Duration.ofSeconds(30))) {
            advanceAndLetTheCoreThreadLook(Duration.ofSeconds(29));
            assertThat(workqueue.snapshot(0).stalledSince()).isNull();

            advanceAndLetTheCoreThreadLook(Duration.ofSeconds(8));
            advanceAndLetTheCoreThreadLook(Duration.ofSeconds(8));

            CpuSnapshot cpu = workqueue.snapshot(0);
            assertThat(cpu.stalledSince()).isNotNull();
            assertThat(workqueue.snapshot(1).stalledSince()).isNull();
            assertThat(workqueue.snapshot().recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.STALLED)
                .singleElement().satisfies(event -> {
                    assertThat(event.cpu()).isZero();
                    assertThat(event.thread()).isEqualTo("stuck/core");
                    assertThat(event.detail()).startsWith("1 task(s) queued and none finished for PT3");
                });

            release.countDown();
            await().until(() -> workqueue.snapshot(0).queued() == 0);
            advanceAndLetTheCoreThreadLook(Duration.ofSeconds(8));
            assertThat(workqueue.snapshot(0).stalledSince()).isNull();
        }
    }

    @Test
    void aZeroThresholdTurnsTheWatchdogOff() throws Exception {
        try (LazyWorkqueue workqueue = stuck("unwatched", Duration.ZERO)) {
            clock.advance(Duration.ofHours(1));
            await().until(() -> clock.parkedThreads() == 1);

            assertThat(workqueue.snapshot(0).stalledSince()).isNull();
            release.countDown();
        }
    }

    /** Advances the clock and waits until the core thread, woken by it, has looked and waits again. */
    private void advanceAndLetTheCoreThreadLook(Duration duration) {
        long parks = clock.parks();
        clock.advance(duration);
        await().until(() -> clock.parks() > parks);
    }
}
