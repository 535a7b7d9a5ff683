package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class ShutdownTests {

    @Test
    void shutdownRunsTheQueuedWorkThenTerminatesAndRefusesLaterWork() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("drain").cpus("0-3").affinity(AffinityMode.NONE).maxActive(1).dedicated(true).build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            workqueue.executeOn(i % 4, () -> {
                LazyWorkqueueTests.awaitQuietly(release);
                ran.incrementAndGet();
            });
        }

        workqueue.shutdown();

        assertThat(workqueue.isShutdown()).isTrue();
        assertThat(workqueue.awaitTermination(10, TimeUnit.MILLISECONDS)).isFalse();
        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> workqueue.execute(() -> { }))
            .withMessage("Workqueue 'drain' has shut down and accepts no work");
        release.countDown();
        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(100);
        assertThat(workqueue.isTerminated()).isTrue();
        await().until(() -> Threads.named("drain/").isEmpty());
        WorkqueueSnapshot snapshot = workqueue.snapshot();
        assertThat(snapshot.terminated()).isTrue();
        assertThat(snapshot.liveThreads()).isZero();
        assertThat(snapshot.cpus()).allSatisfy(cpu -> assertThat(cpu.counters().shutdownExits()).isEqualTo(1));
        assertThat(snapshot.recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.SHUTDOWN_EXIT)
            .extracting(WorkqueueEvent::cpu).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(SpawnFailureTests.total(snapshot).rejected()).isEqualTo(1);
    }

    @Test
    void shutdownNowHandsBackQueuedTasksAndInterruptsRunningOnes() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("now").cpus("0-1").affinity(AffinityMode.NONE).maxActive(1).build();
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        for (int cpu = 0; cpu < 2; cpu++) {
            workqueue.executeOn(cpu, () -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException ex) {
                    interrupted.incrementAndGet();
                }
            });
        }
        List<Runnable> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Runnable task = () -> { };
            queued.add(task);
            workqueue.executeOn(i % 2, task);
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        List<Runnable> neverRan = workqueue.shutdownNow();

        assertThat(neverRan).containsExactlyInAnyOrderElementsOf(queued);
        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).hasValue(2);
    }

    @Test
    void shutdownNowInterruptsATaskThatTheManagerRunsBecauseNoWorkerCouldBeCreated() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("now-fallback").cpus("0").affinity(AffinityMode.NONE)
            .threadFactory(Tasks.alwaysFailing()).build();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> interruptedOn = new AtomicReference<>();
        workqueue.executeOn(0, () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            }
            catch (InterruptedException ex) {
                interruptedOn.set(Thread.currentThread().getName());
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        workqueue.shutdownNow();

        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interruptedOn).hasValue(Threads.MANAGER);
    }

    @Test
    void aWorkqueueThatNeverRanTerminatesAtShutdown() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("unused").build();

        workqueue.shutdown();

        assertThat(workqueue.isTerminated()).isTrue();
        assertThat(workqueue.awaitTermination(0, TimeUnit.SECONDS)).isTrue();
        assertThat(workqueue.shutdownNow()).isEmpty();
    }

    @Test
    void closeWaitsForEveryAcceptedTask() {
        AtomicInteger ran = new AtomicInteger();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("close").cpus("0-3").affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ROUND_ROBIN).build()) {
            for (int i = 0; i < 10_000; i++) {
                workqueue.execute(ran::incrementAndGet);
            }
        }

        assertThat(ran).hasValue(10_000);
        await().until(() -> Threads.named("close/").isEmpty());
    }

    @RepeatedTest(5)
    void shutdownNowWhileProducersSubmitLosesAndDoublesNothing() throws Exception {
        Outcome outcome = raceShutdown(true);

        assertThat(outcome.workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (Runnable task : outcome.neverRan) {
            outcome.handedBack.incrementAndGet(((Numbered) task).id);
        }
        outcome.assertEachAcceptedTaskRanOrCameBackExactlyOnce();
    }

    @RepeatedTest(5)
    void shutdownWhileProducersSubmitRunsEveryAcceptedTask() throws Exception {
        Outcome outcome = raceShutdown(false);

        assertThat(outcome.workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        outcome.assertEachAcceptedTaskRanOrCameBackExactlyOnce();
    }

    private static Outcome raceShutdown(boolean now) throws Exception {
        int perProducer = 50_000;
        LazyWorkqueue workqueue = LazyWorkqueue.builder("race").cpus("0-7").affinity(AffinityMode.NONE)
            .idleTimeout(Duration.ofMillis(1)).cpuSelection(CpuSelection.ROUND_ROBIN).build();
        Outcome outcome = new Outcome(workqueue, 4 * perProducer);
        Producers producers = Producers.start(4, producer -> {
            for (int id = producer * perProducer; id < (producer + 1) * perProducer; id++) {
                try {
                    workqueue.execute(new Numbered(id, outcome.ran));
                    outcome.accepted.set(id, 1);
                }
                catch (RejectedExecutionException ex) {
                    return;
                }
            }
        });
        await().until(() -> outcome.ranCount() > 10_000);
        if (now) {
            outcome.neverRan.addAll(workqueue.shutdownNow());
        }
        else {
            workqueue.shutdown();
        }
        producers.join();
        return outcome;
    }

    /** A task that counts its own runs by id. */
    private record Numbered(int id, AtomicIntegerArray ran) implements Runnable {

        @Override
        public void run() {
            ran.incrementAndGet(id);
        }
    }

    private static final class Outcome {

        final LazyWorkqueue workqueue;

        final AtomicIntegerArray accepted;

        final AtomicIntegerArray ran;

        final AtomicIntegerArray handedBack;

        final List<Runnable> neverRan = new ArrayList<>();

        Outcome(LazyWorkqueue workqueue, int tasks) {
            this.workqueue = workqueue;
            this.accepted = new AtomicIntegerArray(tasks);
            this.ran = new AtomicIntegerArray(tasks);
            this.handedBack = new AtomicIntegerArray(tasks);
        }

        int ranCount() {
            int count = 0;
            for (int id = 0; id < ran.length(); id++) {
                count += ran.get(id);
            }
            return count;
        }

        void assertEachAcceptedTaskRanOrCameBackExactlyOnce() {
            int acceptedCount = 0;
            for (int id = 0; id < accepted.length(); id++) {
                int outcomes = ran.get(id) + handedBack.get(id);
                if (accepted.get(id) == 1) {
                    acceptedCount++;
                    assertThat(outcomes).as("outcomes of accepted task %d", id).isEqualTo(1);
                }
                else {
                    assertThat(outcomes).as("outcomes of rejected task %d", id).isZero();
                }
            }
            assertThat(acceptedCount).isGreaterThan(10_000);
        }
    }
}
