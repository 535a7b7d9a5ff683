package io.lazyworkqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class LazyWorkqueueTests {

    private static final Duration LONG_IDLE = Duration.ofMinutes(5);

    @Test
    void startsNoThreadUntilTheFirstTask() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("lazy-start").build()) {
            WorkqueueSnapshot snapshot = workqueue.snapshot();

            assertThat(snapshot.liveThreads()).isZero();
            assertThat(snapshot.coreThread()).isNull();
            assertThat(snapshot.cpus()).allSatisfy(cpu -> assertThat(cpu.state()).isEqualTo(CpuState.NO_THREAD));
            assertThat(Threads.named("lazy-start/")).isEmpty();
        }
    }

    @Test
    void theFirstTaskForACpuStartsAWorkerForThatCpuOnlyAndNoManager() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("first").cpus("0-7").affinity(AffinityMode.NONE)
            .idleTimeout(LONG_IDLE).dedicated(true).build()) {
            AtomicReference<String> ranOn = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);

            workqueue.executeOn(5, () -> {
                ranOn.set(Thread.currentThread().getName());
                ran.countDown();
            });

            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ranOn.get()).isEqualTo("first/5:0");
            WorkqueueSnapshot snapshot = workqueue.snapshot();
            assertThat(snapshot.coreThread()).isNull();
            assertThat(snapshot.cpu(5).threads()).extracting(ThreadSnapshot::name).containsExactly("first/5:0");
            assertThat(snapshot.cpus()).filteredOn(cpu -> cpu.cpu() != 5)
                .allSatisfy(cpu -> assertThat(cpu.threads()).isEmpty());
            assertThat(Threads.named("first/")).containsExactly("first/5:0");
            assertThat(snapshot.recentEvents()).extracting(WorkqueueEvent::type)
                .containsSubsequence(WorkqueueEventType.SPAWNED, WorkqueueEventType.SPAWN_REQUESTED);
        }
    }

    @Test
    void laterTasksForTheSameCpuReuseItsWorker() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("reuse").cpus("0-1").affinity(AffinityMode.NONE)
            .idleTimeout(LONG_IDLE).build()) {
            for (int i = 0; i < 100; i++) {
                workqueue.submit(() -> { }).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 100; i++) {
                CompletableFuture.runAsync(() -> { }, task -> workqueue.executeOn(1, task)).get(10, TimeUnit.SECONDS);
            }

            await().untilAsserted(() -> assertThat(workqueue.snapshot().cpus())
                .allSatisfy(cpu -> assertThat(cpu.counters().spawns()).isLessThanOrEqualTo(1)));
        }
    }

    @Test
    void executeQueuesOnTheCpuTheCallerRunsOn() throws Exception {
        Affinity platform = Affinity.get();
        CpuSet allowed = CpuSet.allowed();
        int cpu = allowed.last();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("local").idleTimeout(LONG_IDLE).build()) {
            AtomicReference<String> ranOn = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                platform.pinCurrentThread(cpu);
                try {
                    workqueue.submit(() -> ranOn.set(Thread.currentThread().getName())).get();
                }
                catch (InterruptedException | ExecutionException ex) {
                    throw new AssertionError(ex);
                }
            });
            caller.start();
            caller.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(ranOn.get()).isEqualTo("local/" + cpu + ":0");
        }
    }

    @Test
    void submitReturnsTheResultAndPropagatesTheException() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("submit").build()) {
            Future<String> result = workqueue.submit(() -> "done");
            Future<String> failure = workqueue.submit(() -> {
                throw new IllegalStateException("boom");
            });

            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failure.get(10, TimeUnit.SECONDS))
                .withCauseInstanceOf(IllegalStateException.class)
                .withMessageContaining("boom");
        }
    }

    @Test
    void aTaskThatThrowsIsCountedAsFailedAndItsWorkerGoesOn() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("failing").cpus("0").affinity(AffinityMode.NONE)
            .idleTimeout(LONG_IDLE).threadFactory(task -> {
                Thread thread = new Thread(task);
                thread.setUncaughtExceptionHandler((t, ex) -> { });
                return thread;
            }).build()) {
            workqueue.executeOn(0, () -> {
                throw new IllegalStateException("boom");
            });
            CountDownLatch after = new CountDownLatch(1);
            workqueue.executeOn(0, after::countDown);

            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
            await().untilAsserted(() -> {
                CpuSnapshot cpu = workqueue.snapshot().cpu(0);
                assertThat(cpu.counters().failed()).isEqualTo(1);
                assertThat(cpu.counters().completed()).isEqualTo(1);
                assertThat(cpu.counters().spawns()).isEqualTo(1);
                assertThat(cpu.threads()).singleElement().extracting(ThreadSnapshot::completedTasks).isEqualTo(2L);
            });
        }
    }

    @Test
    void roundRobinSelectionSpreadsTasksOverEveryCpu() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("rr").cpus("0-7").affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ROUND_ROBIN).build()) {
            for (int i = 0; i < 16; i++) {
                workqueue.execute(() -> { });
            }
            workqueue.flush();

            assertThat(workqueue.snapshot().cpus())
                .allSatisfy(cpu -> assertThat(cpu.counters().completed()).isEqualTo(2));
        }
    }

    @Test
    void snapshotsShowEachCpusThreadsQueueAndActiveTasks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("snap").cpus("0-3").affinity(AffinityMode.NONE)
            .idleTimeout(LONG_IDLE).build()) {
            workqueue.executeOn(2, () -> {
                started.countDown();
                awaitQuietly(release);
            });
            workqueue.executeOn(2, () -> { });
            workqueue.executeOn(2, () -> { });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            CpuSnapshot busy = workqueue.snapshot().cpu(2);
            assertThat(busy.state()).isEqualTo(CpuState.RUNNING);
            assertThat(busy.queued()).isEqualTo(2);
            assertThat(busy.active()).isEqualTo(1);
            assertThat(busy.threads()).singleElement().satisfies(thread -> {
                assertThat(thread.name()).isEqualTo("snap/2:0");
                assertThat(thread.nativeThreadId()).isPositive();
                assertThat(thread.pinnedCpu()).isNull();
                assertThat(thread.startedAt()).isBeforeOrEqualTo(workqueue.snapshot().takenAt());
            });
            assertThat(workqueue.snapshot().queued()).isEqualTo(2);

            release.countDown();
            workqueue.flush();
            await().untilAsserted(() -> {
                CpuSnapshot idle = workqueue.snapshot().cpu(2);
                assertThat(idle.state()).isEqualTo(CpuState.IDLE);
                assertThat(idle.queued()).isZero();
                assertThat(idle.active()).isZero();
                assertThat(idle.counters().completed()).isEqualTo(3);
            });
        }
    }

    @Test
    void listenersHearEveryEventAndTheHistoryKeepsOnlyTheMostRecent() throws Exception {
        List<WorkqueueEvent> heard = new CopyOnWriteArrayList<>();
        List<String> workqueues = new CopyOnWriteArrayList<>();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("events").cpus("0-3").affinity(AffinityMode.NONE)
            .eventHistory(2).idleTimeout(LONG_IDLE).listener((name, event) -> {
                workqueues.add(name);
                heard.add(event);
            }).build()) {
            for (int cpu = 0; cpu < 4; cpu++) {
                int target = cpu;
                CompletableFuture.runAsync(() -> { }, task -> workqueue.executeOn(target, task)).get(10, TimeUnit.SECONDS);
            }

            await().untilAsserted(() -> assertThat(heard).filteredOn(event -> event.type() == WorkqueueEventType.SPAWNED)
                .extracting(WorkqueueEvent::cpu).containsExactly(0, 1, 2, 3));
            assertThat(heard).hasSize(8);
            assertThat(workqueues).containsOnly("events");
            assertThat(workqueue.snapshot().recentEvents()).containsExactly(heard.get(7), heard.get(6));
        }
    }

    @Test
    void aRemovedListenerHearsNothingMore() throws Exception {
        List<WorkqueueEvent> heard = new CopyOnWriteArrayList<>();
        WorkqueueListener listener = (name, event) -> heard.add(event);
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("unheard").cpus("0-1").affinity(AffinityMode.NONE)
            .idleTimeout(LONG_IDLE).build()) {
            workqueue.addListener(listener);
            CompletableFuture.runAsync(() -> { }, task -> workqueue.executeOn(0, task)).get(10, TimeUnit.SECONDS);
            await().until(() -> heard.size() == 2);

            workqueue.removeListener(listener);
            CompletableFuture.runAsync(() -> { }, task -> workqueue.executeOn(1, task)).get(10, TimeUnit.SECONDS);

            await().untilAsserted(() -> assertThat(workqueue.snapshot().recentEvents()).hasSize(4));
            assertThat(heard).hasSize(2);
        }
    }

    @Test
    void aCpuTheWorkqueueLacksIsRefusedWithTheCpusItHas() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("cpus").cpus("0-3").affinity(AffinityMode.NONE).build()) {
            assertThatIllegalArgumentException().isThrownBy(() -> workqueue.executeOn(9, () -> { }))
                .withMessage("cpu 9 is not one of the CPUs of workqueue 'cpus' (0-3)");
            assertThatIllegalArgumentException().isThrownBy(() -> workqueue.executeOn(-1, () -> { }))
                .withMessage("cpu -1 is not one of the CPUs of workqueue 'cpus' (0-3)");
            assertThatIllegalArgumentException().isThrownBy(() -> workqueue.snapshot().cpu(9))
                .withMessage("Workqueue 'cpus' has no CPU 9 (its CPUs: 0-3)");
        }
    }

    @Test
    void aWorkerThatBreaksOutsideItsTasksIsReportedAndReplaced() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        AtomicBoolean broken = new AtomicBoolean();
        WorkqueueClock clock = new WorkqueueClock() {

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void parkUntil(Object blocker, long deadlineNanos) {
                if (Thread.currentThread().getName().equals("breaks/0:0") && broken.compareAndSet(false, true)) {
                    throw new IllegalStateException("clock broke");
                }
                WorkqueueClock.system().parkUntil(blocker, deadlineNanos);
            }
        };
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("breaks").cpus("0").affinity(AffinityMode.NONE)
            .clock(clock).idleTimeout(LONG_IDLE).threadFactory(task -> {
                Thread thread = new Thread(task);
                thread.setUncaughtExceptionHandler((t, ex) -> uncaught.add(ex));
                return thread;
            }).build()) {
            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo("breaks/0:0");
            await().untilAsserted(() -> assertThat(workqueue.snapshot().cpu(0).counters().failureExits()).isEqualTo(1));

            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo("breaks/0:1");
            assertThat(workqueue.snapshot().recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.WORKER_FAILED)
                .singleElement().satisfies(event -> {
                    assertThat(event.thread()).isEqualTo("breaks/0:0");
                    assertThat(event.detail()).isEqualTo("java.lang.IllegalStateException: clock broke");
                });
            assertThat(uncaught).singleElement().extracting(Throwable::getMessage).isEqualTo("clock broke");
            assertThat(workqueue.snapshot().cpu(0).threads()).extracting(ThreadSnapshot::name).containsExactly("breaks/0:1");
        }
    }

    @Test
    void aTaskCannotCloseTheWorkqueueItRunsOn() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("close-self").build()) {
            Future<?> attempt = workqueue.submit(workqueue::close);

            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
                .withCauseInstanceOf(IllegalStateException.class)
                .withMessageContaining("close() of workqueue 'close-self' was called from one of its own threads"
                        + " and would wait for itself");
            assertThat(workqueue.isShutdown()).isFalse();
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
