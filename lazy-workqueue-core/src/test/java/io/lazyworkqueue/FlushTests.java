package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class FlushTests {

    private static LazyWorkqueue workqueue(String name) {
        return LazyWorkqueue.builder(name).cpus("0-3").affinity(AffinityMode.NONE).maxActive(2).build();
    }

    @Test
    void flushReturnsOnceEveryTaskQueuedBeforeItHasFinished() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("flush")) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger finished = new AtomicInteger();
            for (int i = 0; i < 40; i++) {
                workqueue.executeOn(i % 4, () -> {
                    LazyWorkqueueTests.awaitQuietly(release);
                    finished.incrementAndGet();
                });
            }
            await().until(() -> workqueue.snapshot().active() == 8);

            CompletableFuture<Integer> flushed = flushInBackground(workqueue, finished);
            assertThat(workqueue.flush(Duration.ofMillis(50))).as("flush with a short timeout").isFalse();
            assertThat(flushed).isNotDone();
            release.countDown();

            assertThat(flushed.get(10, TimeUnit.SECONDS)).isEqualTo(40);
        }
    }

    @Test
    void tasksQueuedAfterTheFlushBeganDoNotHoldItUp() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("no-starve")) {
            AtomicBoolean flooding = new AtomicBoolean(true);
            // A task that queues itself again, on every CPU, for as long as the test runs.
            for (int cpu = 0; cpu < 4; cpu++) {
                int target = cpu;
                workqueue.executeOn(target, new Runnable() {
                    @Override
                    public void run() {
                        if (flooding.get()) {
                            workqueue.executeOn(target, this);
                        }
                    }
                });
            }
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                while (flooding.get()) {
                    workqueue.execute(() -> { });
                }
            });
            try {
                assertThat(workqueue.flush(Duration.ofSeconds(30))).isTrue();
            }
            finally {
                flooding.set(false);
                producer.get(10, TimeUnit.SECONDS);
            }
            // A task that saw the flag still set queues one last copy; two flushes outlast it.
            workqueue.flush();
            workqueue.flush();
        }
    }

    @Test
    void aBlockedTaskQueuedAfterAFlushBeganDoesNotHoldItUp() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("blocked-after")) {
            CountDownLatch releaseEarlier = new CountDownLatch(1);
            CountDownLatch releaseLater = new CountDownLatch(1);
            AtomicInteger finished = new AtomicInteger();
            workqueue.executeOn(0, () -> {
                LazyWorkqueueTests.awaitQuietly(releaseEarlier);
                finished.incrementAndGet();
            });
            CompletableFuture<Integer> flushed = new CompletableFuture<>();
            Thread flusher = new Thread(() -> {
                try {
                    workqueue.flush();
                    flushed.complete(finished.get());
                }
                catch (Throwable ex) {
                    flushed.completeExceptionally(ex);
                }
            });
            flusher.start();
            try {
                await().until(() -> flusher.getState() == Thread.State.WAITING);
                workqueue.executeOn(1, () -> LazyWorkqueueTests.awaitQuietly(releaseLater));

                releaseEarlier.countDown();

                assertThat(flushed.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            }
            finally {
                releaseEarlier.countDown();
                releaseLater.countDown();
            }
        }
    }

    @Test
    void sixteenConcurrentFlushesEachReturnOnlyAfterTheTasksQueuedBeforeItFinished() throws Exception {
        int tasks = 20_000;
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("sixteen").cpus("0-3").affinity(AffinityMode.NONE)
            .maxActive(2).cpuSelection(CpuSelection.ROUND_ROBIN).build()) {
            AtomicIntegerArray finished = new AtomicIntegerArray(tasks);
            AtomicInteger queued = new AtomicInteger();
            Semaphore inFlight = new Semaphore(256);
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < tasks; i++) {
                    int task = i;
                    inFlight.acquireUninterruptibly();
                    workqueue.execute(() -> {
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
                        finished.set(task, 1);
                        inFlight.release();
                    });
                    queued.set(task + 1);
                }
            });
            List<CompletableFuture<Integer>> flushers = new ArrayList<>();
            for (int f = 0; f < 16; f++) {
                flushers.add(CompletableFuture.supplyAsync(() -> {
                    int flushes = 0;
                    int checked = 0;
                    for (boolean last = false; !last; ) {
                        last = producer.isDone();
                        int before = queued.get();
                        try {
                            workqueue.flush();
                        }
                        catch (InterruptedException ex) {
                            throw new AssertionError(ex);
                        }
                        flushes++;
                        for (; checked < before; checked++) {
                            if (finished.get(checked) == 0) {
                                throw new AssertionError("flush " + flushes + " returned before task " + checked
                                        + " of the " + before + " queued before it had finished");
                            }
                        }
                    }
                    return flushes;
                }, runnable -> new Thread(runnable).start()));
            }

            producer.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> flusher : flushers) {
                assertThat(flusher.get(60, TimeUnit.SECONDS)).isPositive();
            }
            assertThat(queued.get()).isEqualTo(tasks);
        }
    }

    @Test
    void flushOfAnIdleWorkqueueReturnsAtOnce() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("idle")) {
            assertThat(workqueue.flush(Duration.ZERO)).isTrue();
            workqueue.flush();
        }
    }

    @Test
    void aFlushThatTimedOutLeavesTheNextFlushWaitingForTheSameTasks() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("after-timeout")) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger finished = new AtomicInteger();
            workqueue.executeOn(0, () -> {
                LazyWorkqueueTests.awaitQuietly(release);
                finished.incrementAndGet();
            });
            assertThat(workqueue.flush(Duration.ofMillis(10))).isFalse();
            workqueue.executeOn(1, () -> { });
            assertThat(workqueue.flush(Duration.ofMillis(10))).isFalse();

            CompletableFuture<Integer> flushed = flushInBackground(workqueue, finished);
            release.countDown();

            assertThat(flushed.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void aTaskCannotFlushTheWorkqueueItRunsOn() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("self")) {
            CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> {
                try {
                    workqueue.flush();
                }
                catch (InterruptedException ex) {
                    throw new AssertionError(ex);
                }
            }, workqueue);

            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
                .withCauseInstanceOf(IllegalStateException.class)
                .withMessageContaining("flush() of workqueue 'self' was called from one of its own threads"
                        + " and would wait for itself");
        }
    }

    @Test
    void aFlushingThreadCanBeInterrupted() throws Exception {
        try (LazyWorkqueue workqueue = workqueue("interrupted")) {
            CountDownLatch release = new CountDownLatch(1);
            workqueue.executeOn(0, () -> LazyWorkqueueTests.awaitQuietly(release));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread flusher = new Thread(() -> {
                try {
                    workqueue.flush();
                    outcome.complete(null);
                }
                catch (InterruptedException ex) {
                    outcome.complete(ex);
                }
            });
            flusher.start();
            await().until(() -> flusher.getState() == Thread.State.WAITING);

            flusher.interrupt();

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            release.countDown();
        }
    }

    /** Flushes on another thread and reports how many tasks had finished when the flush returned. */
    private static CompletableFuture<Integer> flushInBackground(LazyWorkqueue workqueue, AtomicInteger finished) {
        CompletableFuture<Integer> flushed = new CompletableFuture<>();
        Thread flusher = new Thread(() -> {
            try {
                workqueue.flush();
                flushed.complete(finished.get());
            }
            catch (Throwable ex) {
                flushed.completeExceptionally(ex);
            }
        });
        flusher.start();
        return flushed;
    }
}
