package io.lazyworkqueue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SpawnFailureTests {

    @Test
    void whenNoWorkerCanBeCreatedTheManagerRunsEveryTask() throws Exception {
        int tasks = 20_000;
        AtomicIntegerArray ran = new AtomicIntegerArray(tasks);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        LazyWorkqueue workqueue = LazyWorkqueue.builder("no-threads").cpus("0-7").affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ROUND_ROBIN).threadFactory(Tasks.alwaysFailing())
            .spawnRetryDelay(Duration.ofMillis(1)).eventHistory(10_000).build();
        try (workqueue) {
            Producers.start(4, producer -> {
                for (int id = producer; id < tasks; id += 4) {
                    int task = id;
                    workqueue.execute(() -> {
                        threads.add(Thread.currentThread().getName());
                        ran.incrementAndGet(task);
                    });
                }
            }).join();
            workqueue.flush();
        }

        assertEachRanOnce(ran);
        assertThat(threads).containsExactly(Threads.MANAGER);
        WorkqueueSnapshot snapshot = workqueue.snapshot();
        assertThat(snapshot.cpus()).allSatisfy(cpu -> {
            assertThat(cpu.counters().spawns()).isZero();
            assertThat(cpu.counters().spawnFailures()).isPositive();
            assertThat(cpu.counters().fallbackRuns()).isEqualTo(cpu.counters().completed());
        });
        assertThat(snapshot.cpus().stream().mapToLong(cpu -> cpu.counters().fallbackRuns()).sum()).isEqualTo(tasks);
        assertThat(snapshot.recentEvents()).extracting(WorkqueueEvent::type)
            .contains(WorkqueueEventType.SPAWN_FAILED, WorkqueueEventType.FALLBACK_RUN)
            .doesNotContain(WorkqueueEventType.SPAWNED);
        assertThat(snapshot.recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.SPAWN_FAILED)
            .first().extracting(WorkqueueEvent::detail).asString()
            .isEqualTo("java.lang.IllegalStateException: no threads today");
    }

    @Test
    void whenEveryOtherCreationFailsEveryTaskStillRunsExactlyOnce() throws Exception {
        int tasks = 200_000;
        AtomicIntegerArray ran = new AtomicIntegerArray(tasks);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("flaky").cpus("0-7").affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ROUND_ROBIN).threadFactory(Tasks.failingEveryOtherCall())
            .idleTimeout(Duration.ofMillis(1)).spawnRetryDelay(Duration.ofMillis(1)).eventHistory(10_000).build();
        try (workqueue) {
            Producers.start(4, producer -> {
                for (int id = producer; id < tasks; id += 4) {
                    int task = id;
                    workqueue.execute(() -> ran.incrementAndGet(task));
                    if (id % 20_000 == producer) {
                        // Let the queues run dry now and then, so that workers exit and are needed again.
                        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                    }
                }
            }).join();
        }

        assertEachRanOnce(ran);
        CpuCounters total = total(workqueue.snapshot());
        assertThat(total.spawns()).isPositive();
        assertThat(total.spawnFailures()).isPositive();
        assertThat(total.completed()).isEqualTo(tasks);
        assertThat(workqueue.snapshot().recentEvents()).extracting(WorkqueueEvent::type)
            .contains(WorkqueueEventType.SPAWNED, WorkqueueEventType.SPAWN_FAILED);
    }

    @Test
    void afterAFailedCreationThePoolWaitsForTheRetryDelayBeforeTryingAgain() throws Exception {
        ManualClock clock = new ManualClock();
        AtomicInteger calls = new AtomicInteger();
        ThreadFactory failing = Tasks.alwaysFailing();
        ThreadFactory counting = task -> {
            calls.incrementAndGet();
            return failing.newThread(task);
        };
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("cooldown").cpus("0").affinity(AffinityMode.NONE)
            .clock(clock).threadFactory(counting).spawnRetryDelay(Duration.ofSeconds(1)).build()) {
            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo(Threads.MANAGER);
            assertThat(calls).hasValue(1);
            awaitFallbackOver(workqueue);

            clock.advance(Duration.ofMillis(999));
            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo(Threads.MANAGER);
            assertThat(calls).hasValue(1);
            awaitFallbackOver(workqueue);

            clock.advance(Duration.ofMillis(1));
            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo(Threads.MANAGER);
            assertThat(calls).hasValue(2);
            assertThat(workqueue.snapshot().cpu(0).counters().spawnFailures()).isEqualTo(2);
            assertThat(workqueue.snapshot().cpu(0).counters().fallbackRuns()).isEqualTo(3);
        }
    }

    @Test
    void aFactoryThatReturnsNoThreadCountsAsAFailure() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("null-factory").cpus("0").affinity(AffinityMode.NONE)
            .threadFactory(task -> null).build()) {
            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo(Threads.MANAGER);
            assertThat(workqueue.snapshot().recentEvents())
                .anySatisfy(event -> assertThat(event.detail()).contains("returned no thread"));
        }
    }

    /** Waits until the manager has finished its fallback run, so that the next task needs a worker again. */
    private static void awaitFallbackOver(LazyWorkqueue workqueue) {
        await().until(() -> workqueue.stats(0).state() == CpuState.NO_THREAD);
    }

    private static void assertEachRanOnce(AtomicIntegerArray ran) {
        for (int id = 0; id < ran.length(); id++) {
            assertThat(ran.get(id)).as("runs of task %d", id).isEqualTo(1);
        }
    }

    static CpuCounters total(WorkqueueSnapshot snapshot) {
        return snapshot.cpus().stream().map(CpuSnapshot::counters).reduce((a, b) -> new CpuCounters(
                a.spawns() + b.spawns(), a.idleExits() + b.idleExits(), a.shutdownExits() + b.shutdownExits(),
                a.failureExits() + b.failureExits(), a.spawnFailures() + b.spawnFailures(), a.fallbackRuns() + b.fallbackRuns(),
                a.completed() + b.completed(), a.failed() + b.failed(), a.rejected() + b.rejected()))
            .orElseThrow();
    }
}
