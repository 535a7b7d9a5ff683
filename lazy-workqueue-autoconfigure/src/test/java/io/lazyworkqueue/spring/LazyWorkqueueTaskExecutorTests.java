package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.EngineLog;
import io.lazyworkqueue.LazyWorkqueue;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class LazyWorkqueueTaskExecutorTests {

    @RegisterExtension
    final CapturedLog log = CapturedLog.of(LazyWorkqueueTaskExecutor.class);

    @RegisterExtension
    final EngineLog engineLog = new EngineLog();

    @Test
    void aTaskForAFullQueueIsRejectedWithTheWorkqueuesReason() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("full").cpus("0").affinity(AffinityMode.NONE).maxActive(1).queueCapacity(1)
            .build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofSeconds(10));
        executor.executeOn(0, () -> {
            started.countDown();
            Latches.awaitQuietly(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        executor.executeOn(0, () -> { });

        assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> executor.executeOn(0, () -> { }))
            .withMessage("Workqueue 'full' rejected a task: the queue of CPU 0 is full (queue capacity 1)");
        release.countDown();
        executor.destroy();
        assertThat(workqueue.isTerminated()).isTrue();
    }

    @Test
    void tasksQueuedOnANamedCpuPassThroughTheDecoratorToo() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TaskDecorator decorator = task -> () -> {
            seen.add(Thread.currentThread().getName());
            task.run();
        };
        LazyWorkqueue workqueue = LazyWorkqueue.builder("decorated").cpus("0-3").affinity(AffinityMode.NONE).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, decorator, Duration.ofSeconds(10));

        CompletableFuture.runAsync(() -> { }, task -> executor.executeOn(3, task)).get(10, TimeUnit.SECONDS);
        executor.submit(() -> { }).get(10, TimeUnit.SECONDS);

        assertThat(seen).hasSize(2).first().isEqualTo("decorated/3:0");
        executor.destroy();
    }

    @Test
    void futuresOfTasksDroppedAtShutdownAreCancelled() throws Exception {
        assertFuturesOfDroppedTasksAreCancelled(null);
    }

    @Test
    void futuresOfDecoratedTasksDroppedAtShutdownAreCancelled() throws Exception {
        AtomicInteger decoratedRuns = new AtomicInteger();
        assertFuturesOfDroppedTasksAreCancelled(task -> () -> {
            decoratedRuns.incrementAndGet();
            task.run();
        });
        // Only the task that held the CPU ran.
        assertThat(decoratedRuns).hasValue(1);
    }

    private void assertFuturesOfDroppedTasksAreCancelled(@Nullable TaskDecorator decorator)
            throws InterruptedException {
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("dropped").cpus("0").affinity(AffinityMode.NONE).maxActive(1).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, decorator, Duration.ZERO);
        executor.execute(() -> {
            started.countDown();
            Latches.awaitQuietly(new CountDownLatch(1));
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> futures = new ArrayList<>();
        futures.add(executor.submit(ran::incrementAndGet));
        futures.add(executor.submit(() -> {
            ran.incrementAndGet();
        }));
        futures.add(executor.submitCompletable(ran::incrementAndGet));
        futures.add(executor.submitCompletable(() -> {
            ran.incrementAndGet();
        }));
        futures.add(workqueue.submit(ran::incrementAndGet));
        futures.add(workqueue.schedule(ran::incrementAndGet, Duration.ZERO));

        executor.destroy();

        assertThat(futures).allSatisfy(future -> {
            assertThat(future.isCancelled()).as("cancelled: %s", future).isTrue();
            assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS));
        });
        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
        assertWarned("Workqueue 'dropped' did not finish its work within PT0S of shutdown: 6 queued task(s) were"
                + " dropped and running tasks were interrupted (1 running when the period ran out)");
    }

    @Test
    void tasksAWorkqueueHeldWhenItsManagerDiedAreCancelledAndReportedWhenItStops() throws Exception {
        CoreBreakingClock clock = new CoreBreakingClock();
        LazyWorkqueue workqueue = LazyWorkqueue.builder("broken").cpus("0").affinity(AffinityMode.NONE).maxActive(1)
            .clock(clock).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofSeconds(10));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        executor.executeOn(0, () -> {
            started.countDown();
            Latches.awaitQuietly(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> completable = executor.submitCompletable(ran::incrementAndGet);
        executor.executeOn(0, ran::incrementAndGet);

        clock.breakFor("lazy-workqueue-manager");
        // A timer makes the manager read the clock.
        workqueue.schedule(ran::incrementAndGet, Duration.ofMillis(1));
        await().until(() -> workqueue.snapshot().coreFailure() != null);
        release.countDown();
        executor.shutdown();

        assertThat(completable).isCancelled();
        assertThat(ran).hasValue(0);
        assertThat(engineLog.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).hasToString("SEVERE");
            assertThat(record.getMessage()).isEqualTo("The workqueue manager thread lazy-workqueue-manager died;"
                    + " workqueue(s) 'broken' stop accepting work and hand back their queued tasks");
            assertThat(record.getThrown()).hasMessage("clock broke");
        });
        assertWarned("Workqueue 'broken' lost its manager thread (java.lang.IllegalStateException: clock broke): 3 queued"
                + " task(s) were dropped");
    }

    @Test
    void aCompletableFutureCancelledBeforeItsTurnKeepsItsTaskFromRunning() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("cancelled").cpus("0").affinity(AffinityMode.NONE).maxActive(1).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofSeconds(10));
        executor.execute(() -> Latches.awaitQuietly(release));
        CompletableFuture<Integer> future = executor.submitCompletable(ran::incrementAndGet);

        assertThat(future.cancel(false)).isTrue();
        release.countDown();
        workqueue.flush();

        assertThat(ran).hasValue(0);
        executor.destroy();
    }

    @Test
    void completableFuturesCarryTheResultOrTheExceptionAsSpringsOwnExecutorsDo() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("outcome").cpus("0").affinity(AffinityMode.NONE).maxActive(1).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofSeconds(10));
        Exception failure = new Exception("no answer");

        assertThat(executor.submitCompletable(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
        CompletableFuture<Object> failed = executor.submitCompletable(() -> {
            throw failure;
        });
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
            .havingCause()
            .isSameAs(failure);
        assertThat(failed.handle((result, ex) -> ex).get(10, TimeUnit.SECONDS))
            .isInstanceOf(CompletionException.class)
            .cause()
            .isSameAs(failure);
        executor.destroy();
    }

    @Test
    void destroyAfterAShutdownThatRanOutOfTimeDoesNotWarnAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("stubborn").cpus("0").affinity(AffinityMode.NONE).maxActive(1).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofMillis(50));
        CountDownLatch started = startTaskThatIgnoresInterrupts(executor, release);
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            executor.shutdown();
            executor.destroy();

            assertWarned("Workqueue 'stubborn' did not finish its work within PT0.05S of shutdown: running tasks"
                    + " were interrupted (1 running when the period ran out)");
        }
        finally {
            release.countDown();
        }
        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void destroyAfterAShutdownWhoseWaitWasCutShortDoesNotWaitTheAwaitPeriodAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("cut-short").cpus("0").affinity(AffinityMode.NONE).maxActive(1).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofDays(1));
        CountDownLatch started = startTaskThatIgnoresInterrupts(executor, release);
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // An interrupted shutdown() gives up waiting at once, as one whose await period ran out does.
            Thread.currentThread().interrupt();
            executor.shutdown();
            assertThat(Thread.interrupted()).isTrue();

            Thread destroyer = new Thread(executor::destroy, "destroyer");
            destroyer.setDaemon(true);
            destroyer.start();
            destroyer.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(destroyer.isAlive()).as("destroy() still waiting").isFalse();
            assertThat(workqueue.isTerminated()).as("the stubborn task still runs").isFalse();
            assertWarned("Workqueue 'cut-short' did not finish its work within PT24H of shutdown: running tasks were"
                    + " interrupted (1 running when the period ran out)");
        }
        finally {
            release.countDown();
        }
        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aZeroAwaitPeriodWarnsOfNothingWhenNothingWasLeft() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("idle").cpus("0").affinity(AffinityMode.NONE).maxActive(1)
            .idleTimeout(Duration.ofMinutes(1))
            .build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ZERO);
        executor.execute(() -> { });
        workqueue.flush();

        executor.destroy();

        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(log.events()).isEmpty();
    }

    @Test
    void springsThreadSettingsAreRefusedBecauseTheWorkqueueCreatesItsOwnThreads() {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("threads").cpus("0").affinity(AffinityMode.NONE).maxActive(1).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ZERO);
        try {
            assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> executor.setThreadFactory(Thread::new))
                .withMessage("the workqueue creates its own threads; set LazyWorkqueue.Builder.threadFactory instead");
            assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> executor.setVirtualThreads(true))
                .withMessageContaining("platform threads");
            assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> executor.setRejectedExecutionHandler(null))
                .withMessageContaining("lazy-workqueue.queues.<name>.rejection");
            assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> executor.setThreadNamePrefix("other-"))
                .withMessageContaining("thread-name-prefix");
            assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> executor.setDaemon(true));
            assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> executor.newThread(() -> { }));
            assertThat(executor.getThreadNamePrefix()).isEqualTo("threads/");
        }
        finally {
            executor.shutdown();
        }
    }

    @Test
    void withoutWaitingForTasksShutdownDropsQueuedTasksAtOnceAndSaysSo() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("impatient").cpus("0").affinity(AffinityMode.NONE).maxActive(1).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofSeconds(10));
        executor.setWaitForTasksToCompleteOnShutdown(false);
        executor.execute(() -> {
            started.countDown();
            Latches.awaitQuietly(new CountDownLatch(1));
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Integer> queued = executor.submit(ran::incrementAndGet);

        executor.shutdown();

        assertThat(queued).isCancelled();
        assertThat(workqueue.isTerminated()).isTrue();
        assertThat(ran).hasValue(0);
        assertWarned("Workqueue 'impatient' was shut down without waiting for its tasks: 1 queued task(s) were"
                + " dropped and running tasks were interrupted (1 running at shutdown)");
    }

    @Test
    void theAwaitPeriodCanBeSetAsSpringsExecutorsSetIt() {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("period").cpus("0").affinity(AffinityMode.NONE).maxActive(1).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ZERO);

        executor.setAwaitTerminationSeconds(3);
        assertThat(executor.getAwaitTerminationPeriod()).isEqualTo(Duration.ofSeconds(3));
        executor.setAwaitTerminationMillis(1500);
        assertThat(executor.getAwaitTerminationPeriod()).isEqualTo(Duration.ofMillis(1500));
        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> executor.setAwaitTerminationMillis(-1));
        executor.shutdown();
    }

    /** The executor logged this one warning and nothing else. */
    private void assertWarned(String message) {
        assertThat(log.events()).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
            .containsExactly(tuple(Level.WARN, message));
    }

    /** A task that runs on until released, whatever interrupts it gets. */
    private static CountDownLatch startTaskThatIgnoresInterrupts(LazyWorkqueueTaskExecutor executor,
            CountDownLatch release) {
        CountDownLatch started = new CountDownLatch(1);
        executor.execute(() -> {
            started.countDown();
            Latches.awaitIgnoringInterrupts(release);
        });
        return started;
    }
}
