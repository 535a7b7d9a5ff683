package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IdleExitTests {

    private final ManualClock clock = new ManualClock();

    private LazyWorkqueue workqueue(String name, int maxActive) {
        return LazyWorkqueue.builder(name).cpus("0-1").affinity(AffinityMode.NONE).clock(clock)
            .idleTimeout(Duration.ofSeconds(10)).maxActive(maxActive).build();
    }

    @Test
    void aWorkerStaysWhileIdleForLessThanTheIdleTimeout() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("stays", 1)) {
            String first = runOn(workqueue, 0);
            awaitIdle(workqueue, 0);

            clock.advance(Duration.ofSeconds(9));
            String second = runOn(workqueue, 0);

            assertThat(second).isEqualTo(first);
            assertThat(workqueue.snapshot().cpu(0).counters().spawns()).isEqualTo(1);
            assertThat(workqueue.snapshot().cpu(0).counters().idleExits()).isZero();
        }
    }

    @Test
    void aWorkerExitsOnceItHasBeenIdleForTheIdleTimeoutAndTheNextTaskStartsANewOne() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("exits", 1)) {
            assertThat(runOn(workqueue, 1)).isEqualTo("exits/1:0");
            awaitIdle(workqueue, 1);

            clock.advance(Duration.ofSeconds(10));

            await().untilAsserted(() -> {
                CpuSnapshot cpu = workqueue.snapshot().cpu(1);
                assertThat(cpu.state()).isEqualTo(CpuState.NO_THREAD);
                assertThat(cpu.threads()).isEmpty();
                assertThat(cpu.counters().idleExits()).isEqualTo(1);
            });
            assertThat(workqueue.snapshot().recentEvents()).first().satisfies(event -> {
                assertThat(event.type()).isEqualTo(WorkqueueEventType.IDLE_EXIT);
                assertThat(event.cpu()).isEqualTo(1);
                assertThat(event.thread()).isEqualTo("exits/1:0");
            });
            await().until(() -> !Threads.named("exits/1:0").contains("exits/1:0"));
            await().until(() -> workqueue.snapshot().coreThread() == null);

            assertThat(runOn(workqueue, 1)).isEqualTo("exits/1:1");
            assertThat(workqueue.snapshot().cpu(1).counters().spawns()).isEqualTo(2);
        }
    }

    @Test
    void idleTimeIsCountedFromTheLastTaskNotFromTheStart() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("from-last", 1)) {
            runOn(workqueue, 0);
            awaitIdle(workqueue, 0);
            clock.advance(Duration.ofSeconds(6));
            runOn(workqueue, 0);
            awaitIdle(workqueue, 0);

            clock.advance(Duration.ofSeconds(6));
            runOn(workqueue, 0);
            awaitIdle(workqueue, 0);

            assertThat(workqueue.snapshot().cpu(0).counters().idleExits()).isZero();
            assertThat(workqueue.snapshot().cpu(0).threads()).singleElement()
                .extracting(ThreadSnapshot::completedTasks).isEqualTo(3L);
        }
    }

    @Test
    void extraWorkersExitWhenIdleToo() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("extras", 3)) {
            CompletableFuture<Void> release = new CompletableFuture<>();
            for (int i = 0; i < 3; i++) {
                workqueue.executeOn(0, release::join);
            }
            await().untilAsserted(() -> assertThat(workqueue.snapshot().cpu(0).threads()).hasSize(3));
            release.complete(null);
            awaitIdle(workqueue, 0);

            clock.advance(Duration.ofSeconds(10));

            await().untilAsserted(() -> {
                CpuSnapshot cpu = workqueue.snapshot().cpu(0);
                assertThat(cpu.threads()).isEmpty();
                assertThat(cpu.counters().idleExits()).isEqualTo(3);
            });
        }
    }

    static String runOn(LazyWorkqueue workqueue, int cpu) throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture.runAsync(() -> thread.set(Thread.currentThread().getName()),
                task -> workqueue.executeOn(cpu, task)).get(10, TimeUnit.SECONDS);
        return thread.get();
    }

    /** Waits until every worker of the CPU has gone idle, so that its idle time has started. */
    static void awaitIdle(LazyWorkqueue workqueue, int cpu) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
            .until(() -> workqueue.snapshot().cpu(cpu).state() == CpuState.IDLE);
    }
}
