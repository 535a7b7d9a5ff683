package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SharedPoolTests {

    /** A factory of its own, so that the pools of each test serve its workqueues only. */
    private final ThreadFactory factory = Thread::new;

    private LazyWorkqueue.Builder queue(String name) {
        return LazyWorkqueue.builder(name).cpus("0-1").affinity(AffinityMode.NONE).threadFactory(factory)
            .idleTimeout(Duration.ofMinutes(5));
    }

    @Test
    void workqueuesWithTheSameThreadSettingsShareOneWorkerPerCpuNamedAfterTheWorkqueueItRuns() throws Exception {
        try (LazyWorkqueue first = queue("first").build(); LazyWorkqueue second = queue("second").build()) {
            String firstRanOn = IdleExitTests.runOn(first, 0);
            String secondRanOn = IdleExitTests.runOn(second, 0);

            assertThat(firstRanOn).isEqualTo("first/0:0");
            assertThat(secondRanOn).isEqualTo("second/0:0");
            assertThat(first.pools().get(0)).satisfies(pool -> {
                assertThat(pool.queues()).containsExactly("first", "second");
                assertThat(pool.workers()).isEqualTo(1);
                assertThat(pool.spawned()).isEqualTo(1);
            });
            assertThat(second.pools().get(0)).isEqualTo(first.pools().get(0));
        }
    }

    @Test
    void aDedicatedWorkqueueHasWorkersOfItsOwn() throws Exception {
        try (LazyWorkqueue shared = queue("shared").build();
                LazyWorkqueue dedicated = queue("dedicated").dedicated(true).build()) {
            IdleExitTests.runOn(shared, 0);
            IdleExitTests.runOn(dedicated, 0);

            assertThat(dedicated.pools().get(0).queues()).containsExactly("dedicated");
            assertThat(shared.pools().get(0).queues()).containsExactly("shared");
            assertThat(dedicated.pools().get(0).spawned()).isEqualTo(1);
            assertThat(shared.pools().get(0).spawned()).isEqualTo(1);
        }
    }

    @Test
    void aTaskOfOneWorkqueueRunsWhileATaskOfAnotherBlocksTheCpusWorker() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LazyWorkqueue blocking = queue("blocking").build(); LazyWorkqueue quick = queue("quick").build()) {
            try {
                assertAQuickTaskRunsBesideABlockedOne(blocking, quick, release);
            }
            finally {
                release.countDown();
            }
        }
    }

    private static void assertAQuickTaskRunsBesideABlockedOne(LazyWorkqueue blocking, LazyWorkqueue quick,
            CountDownLatch release) throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        blocking.executeOn(0, () -> {
            blocked.countDown();
            LazyWorkqueueTests.awaitQuietly(release);
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<String> ran = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName(),
                task -> quick.executeOn(0, task));

        assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo("quick/0:1");
        assertThat(quick.pools().get(0).spawned()).isEqualTo(2);
    }

    @Test
    void aTaskThatWaitsForATaskItSubmittedToItsOwnCpuGetsItRun() throws Exception {
        try (LazyWorkqueue workqueue = queue("nested").build()) {
            Future<String> outer = workqueue.submit(() -> workqueue.submit(() -> "inner ran").get());

            assertThat(outer.get(10, TimeUnit.SECONDS)).isEqualTo("inner ran");
        }
    }

    @Test
    void shortTasksOfManyWorkqueuesOnOneCpuAreServedByOneWorker() throws Exception {
        List<LazyWorkqueue> workqueues = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workqueues.add(queue("short-" + i).build());
        }
        Set<String> runners = ConcurrentHashMap.newKeySet();
        AtomicInteger ran = new AtomicInteger();
        try {
            for (int round = 0; round < 2_000; round++) {
                for (LazyWorkqueue workqueue : workqueues) {
                    workqueue.executeOn(0, () -> {
                        runners.add(Thread.currentThread().getName().replaceFirst("^short-\\d/", ""));
                        ran.incrementAndGet();
                    });
                }
            }
            for (LazyWorkqueue workqueue : workqueues) {
                workqueue.flush();
            }

            assertThat(ran).hasValue(8_000);
            assertThat(runners).containsExactly("0:0");
            assertThat(workqueues.get(0).pools().get(0).spawned()).isEqualTo(1);
        }
        finally {
            workqueues.forEach(LazyWorkqueue::close);
        }
    }

    @Test
    void aWorkqueueThatFloodsItsCpuDelaysAnotherByAtMostItsMaxActiveTasks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LazyWorkqueue flood = queue("flood").maxActive(4).build(); LazyWorkqueue trickle = queue("trickle").build()) {
            try {
                AtomicInteger floodRan = new AtomicInteger();
                CountDownLatch first = new CountDownLatch(1);
                flood.executeOn(0, () -> {
                    first.countDown();
                    // Holds the worker until everything below is queued.
                    LazyWorkqueueTests.awaitQuietly(release);
                    floodRan.incrementAndGet();
                });
                assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 1_000; i++) {
                    flood.executeOn(0, floodRan::incrementAndGet);
                }
                CompletableFuture<Integer> trickleSaw = CompletableFuture.supplyAsync(floodRan::get,
                        task -> trickle.executeOn(0, task));
                release.countDown();

                assertThat(trickleSaw.get(10, TimeUnit.SECONDS)).isLessThanOrEqualTo(4);
                flood.flush();
                assertThat(floodRan).hasValue(1_001);
            }
            finally {
                release.countDown();
            }
        }
    }

    @Test
    void flushShutdownAndShutdownNowOfOneWorkqueueLeaveAnotherOnTheSamePoolsAlone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LazyWorkqueue stopping = queue("stopping").maxActive(1).build();
                LazyWorkqueue going = queue("going").maxActive(1).build()) {
            try {
                assertOneStopsWhileTheOtherGoesOn(stopping, going, release);
            }
            finally {
                release.countDown();
            }
        }
    }

    private static void assertOneStopsWhileTheOtherGoesOn(LazyWorkqueue stopping, LazyWorkqueue going,
            CountDownLatch release) throws Exception {
        CountDownLatch goingBlocked = new CountDownLatch(1);
        going.executeOn(0, () -> {
            goingBlocked.countDown();
            LazyWorkqueueTests.awaitQuietly(release);
        });
        assertThat(goingBlocked.await(10, TimeUnit.SECONDS)).isTrue();
        Runnable goingQueued = () -> { };
        going.executeOn(0, goingQueued);

        stopping.executeOn(0, () -> { });
        assertThat(stopping.flush(Duration.ofSeconds(10))).as("a flush that waits for its own tasks only").isTrue();
        CountDownLatch stoppingBlocked = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        stopping.executeOn(0, () -> {
            stoppingBlocked.countDown();
            try {
                new CountDownLatch(1).await();
            }
            catch (InterruptedException ex) {
                interrupted.incrementAndGet();
            }
        });
        assertThat(stoppingBlocked.await(10, TimeUnit.SECONDS)).isTrue();
        Runnable stoppingQueued = () -> { };
        stopping.executeOn(0, stoppingQueued);

        assertThat(stopping.shutdownNow()).containsExactly(stoppingQueued);
        assertThat(stopping.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).hasValue(1);

        assertThat(going.isShutdown()).isFalse();
        assertThat(going.snapshot(0).queued()).isEqualTo(1);
        release.countDown();
        assertThat(going.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(going.snapshot(0).counters().completed()).isEqualTo(2);
    }

    @Test
    void theManagerLeavesOnceNothingWaitsAndNoWorkerLivesAndComesBackForATimer() throws Exception {
        try (LazyWorkqueue workqueue = queue("timed").idleTimeout(Duration.ofMillis(50)).build()) {
            CompletableFuture<String> fired = new CompletableFuture<>();
            workqueue.schedule(() -> fired.complete(Thread.currentThread().getName()), Duration.ofMillis(20));
            assertThat(workqueue.snapshot().coreThread()).isNotNull();

            assertThat(fired.get(10, TimeUnit.SECONDS)).startsWith("timed/");
            await().until(() -> !Threads.named(Threads.MANAGER).contains(Threads.MANAGER));

            CompletableFuture<Void> again = new CompletableFuture<>();
            workqueue.schedule(() -> again.complete(null), Duration.ofMillis(20));
            again.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIdleApplicationHoldsNoThreadOfTheLibrary() throws Exception {
        try (LazyWorkqueue first = queue("idle-a").idleTimeout(Duration.ofMillis(50)).build();
                LazyWorkqueue second = queue("idle-b").idleTimeout(Duration.ofMillis(50)).build()) {
            for (int cpu = 0; cpu < 2; cpu++) {
                IdleExitTests.runOn(first, cpu);
                IdleExitTests.runOn(second, cpu);
            }
            first.schedule(() -> { }, Duration.ofMillis(10));

            await().untilAsserted(() -> {
                assertThat(Threads.named("idle-")).isEmpty();
                assertThat(Threads.named(Threads.MANAGER)).isEmpty();
                assertThat(first.liveThreads()).isZero();
                assertThat(second.liveThreads()).isZero();
            });
        }
    }
}
