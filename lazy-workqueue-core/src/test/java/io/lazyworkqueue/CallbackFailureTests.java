package io.lazyworkqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class CallbackFailureTests {

    @RegisterExtension
    final EngineLog log = new EngineLog();

    private static final TaskTimingListener THROWING = (cpu, waitNanos, runNanos) -> {
        throw new IllegalStateException("listener broke");
    };

    @Test
    void aThrowingTimingListenerNeitherStopsTheWorkerNorBlocksLaterFlushes() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("timed").cpus("0").affinity(AffinityMode.NONE).build()) {
            workqueue.addTaskTimingListener(THROWING);
            AtomicInteger ran = new AtomicInteger();
            for (int round = 1; round <= 3; round++) {
                for (int task = 0; task < 100; task++) {
                    workqueue.executeOn(0, ran::incrementAndGet);
                }
                assertThat(workqueue.flush(Duration.ofSeconds(30))).as("flush of round %d", round).isTrue();
                assertThat(ran).hasValue(100 * round);
            }
            assertThat(workqueue.snapshot(0).counters().failureExits()).isZero();
        }
        assertTimingFailureWarnedOnceFor("timed");
    }

    @Test
    void aThrowingTimingListenerDuringAFallbackRunLeavesTheCoreThreadServing() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("timed-fallback").cpus("0-1").affinity(AffinityMode.NONE)
            .threadFactory(Tasks.alwaysFailing()).spawnRetryDelay(Duration.ofMillis(1)).build();
        workqueue.addTaskTimingListener(THROWING);
        AtomicInteger ran = new AtomicInteger();
        for (int task = 0; task < 200; task++) {
            workqueue.executeOn(task % 2, ran::incrementAndGet);
        }

        assertThat(workqueue.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(ran).hasValue(200);
        workqueue.shutdown();
        assertThat(workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(workqueue.snapshot().coreFailure()).isNull();
        assertTimingFailureWarnedOnceFor("timed-fallback");
    }

    private void assertTimingFailureWarnedOnceFor(String workqueue) {
        assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).isEqualTo("Timing tasks for listener " + THROWING + " of workqueue '"
                    + workqueue + "' failed; further failures are logged at DEBUG");
            assertThat(record.getThrown()).hasMessage("listener broke");
        });
    }

    @Test
    void aManagerThatDiesStopsTheWorkqueueCancelsItsFuturesAndHandsBackItsTasks() throws Exception {
        FailingClock clock = new FailingClock();
        LazyWorkqueue workqueue = LazyWorkqueue.builder("doomed").cpus("0-1").affinity(AffinityMode.NONE).clock(clock)
            .build();
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        workqueue.executeOn(0, () -> {
            blocking.countDown();
            LazyWorkqueueTests.awaitQuietly(release);
        });
        assertThat(blocking.await(30, TimeUnit.SECONDS)).isTrue();
        FutureTask<Integer> queuedFuture = new FutureTask<>(ran::incrementAndGet);
        workqueue.executeOn(0, queuedFuture);
        Runnable queuedBehindTheBlocker = ran::incrementAndGet;
        workqueue.executeOn(0, queuedBehindTheBlocker);

        // The manager watches the work queued behind the blocker, and reads the clock at each look.
        clock.failEveryRead(FailingClock.threadNamed(Threads.MANAGER), () -> new IllegalStateException("clock broke"));

        await().atMost(Duration.ofSeconds(30)).until(() -> workqueue.snapshot().coreFailure() != null);
        WorkqueueSnapshot snapshot = workqueue.snapshot();
        assertThat(snapshot.coreFailure()).isEqualTo("java.lang.IllegalStateException: clock broke");
        assertThat(snapshot.coreThread()).isNull();
        assertThat(snapshot.recentEvents()).extracting(WorkqueueEvent::type).contains(WorkqueueEventType.CORE_FAILED);
        assertThat(workqueue.isShutdown()).isTrue();
        assertThatThrownBy(() -> workqueue.executeOn(1, ran::incrementAndGet))
            .isInstanceOf(RejectedExecutionException.class);
        assertThat(queuedFuture.isCancelled()).isTrue();
        assertThatThrownBy(() -> queuedFuture.get(30, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);

        release.countDown();
        assertThat(workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        List<Runnable> handedBack = workqueue.shutdownNow();
        assertThat(handedBack).containsExactlyInAnyOrder(queuedFuture, queuedBehindTheBlocker);
        assertThat(ran).hasValue(0);
        assertThat(workqueue.snapshot().queued()).isZero();
        assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getMessage()).isEqualTo("The workqueue manager thread " + Threads.MANAGER
                    + " died; workqueue(s) 'doomed' stop accepting work and hand back their queued tasks");
            assertThat(record.getThrown()).hasMessage("clock broke");
        });
    }
}
