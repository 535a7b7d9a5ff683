package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MaxActiveTests {

    @Test
    void aCpuNeverHasMoreWorkersThanMaxActiveEvenWhenEveryTaskBlocks() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger mostThreads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("blocking").cpus("0-1").affinity(AffinityMode.NONE)
            .maxActive(3).idleTimeout(Duration.ofMillis(1)).build()) {
            workqueue.addListener((name, event) -> mostThreads
                .accumulateAndGet(workqueue.snapshot().cpu(0).threads().size(), Math::max));
            Producers producers = Producers.start(4, producer -> {
                for (int i = 0; i < 50; i++) {
                    workqueue.executeOn(0, () -> {
                        mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        LazyWorkqueueTests.awaitQuietly(release);
                        running.decrementAndGet();
                    });
                }
            });
            producers.join();
            await().until(() -> running.get() == 3);
            assertThat(workqueue.snapshot().cpu(0).threads()).hasSize(3);
            assertThat(workqueue.snapshot().cpu(0).queued()).isEqualTo(197);

            release.countDown();
            workqueue.flush();

            assertThat(mostRunning).hasValue(3);
            assertThat(workqueue.snapshot().cpu(0).counters().completed()).isEqualTo(200);
            assertThat(mostThreads.get()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void aCpuWithAnIdleWorkerGainsNoOther() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("grow").cpus("0").affinity(AffinityMode.NONE)
            .maxActive(4).idleTimeout(Duration.ofMinutes(5)).build()) {
            for (int i = 0; i < 50; i++) {
                workqueue.submit(() -> { }).get(10, TimeUnit.SECONDS);
                IdleExitTests.awaitIdle(workqueue, 0);
            }

            assertThat(workqueue.snapshot().cpu(0).counters().spawns()).isEqualTo(1);
        }
    }
}
