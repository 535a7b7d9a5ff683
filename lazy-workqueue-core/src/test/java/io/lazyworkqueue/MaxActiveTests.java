package io.lazyworkqueue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MaxActiveTests {

    @Test
    void aCpuRunsMaxActiveTasksAtOnceAndNoMoreEvenWhenEveryTaskBlocks() throws Exception {
        RunningAtOnce atOnce = new RunningAtOnce();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("blocking").cpus("0-1").affinity(AffinityMode.NONE)
            .maxActive(3).idleTimeout(Duration.ofMillis(1)).build()) {
            Producers producers = Producers.start(4, producer -> {
                for (int i = 0; i < 50; i++) {
                    workqueue.executeOn(0, atOnce.on(0, () -> {
                        LazyWorkqueueTests.awaitQuietly(release);
                        finished.incrementAndGet();
                    }));
                }
            });
            try {
                producers.join();
                await("three of CPU 0's tasks running").until(() -> atOnce.now(0) >= 3);
                assertThat(atOnce.now(0)).as("tasks of CPU 0 running while all wait").isEqualTo(3);
                assertThat(workqueue.snapshot().cpu(0).queued()).isEqualTo(197);
            }
            finally {
                // Else a failed check would leave close() waiting for the blocked tasks.
                release.countDown();
            }
            workqueue.flush();

            assertThat(atOnce.most(0)).as("tasks of CPU 0 that ran at once").isEqualTo(3);
            assertThat(finished).hasValue(200);
            assertThat(workqueue.snapshot().cpu(0).counters().completed()).isEqualTo(200);
        }
    }

    @Test
    void aCpuWithAnIdleWorkerGainsNoOther() throws Exception {
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("grow").cpus("0").affinity(AffinityMode.NONE)
            .maxActive(4).idleTimeout(Duration.ofMinutes(5)).build()) {
            for (int i = 0; i < 50; i++) {
                workqueue.submit(() -> ranOn.add(Thread.currentThread())).get(10, TimeUnit.SECONDS);
                IdleExitTests.awaitIdle(workqueue, 0);
            }

            assertThat(ranOn).as("threads that ran the tasks").hasSize(1);
            assertThat(workqueue.snapshot().cpu(0).counters().spawns()).isEqualTo(1);
        }
    }
}
