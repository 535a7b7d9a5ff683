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
import java.util.concurrent.atomic.AtomicReference;

import io.lazyworkqueue.AffinityMode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The behaviours Spring Framework checks of its own executors (spring-context's
 * {@code AbstractSchedulingTaskExecutorTests} and {@code ThreadPoolTaskExecutorTests}), run
 * against a single-threaded {@link ThreadPoolTaskExecutor} and a one-CPU workqueue side by side.
 * Where the two differ, the test says so and why.
 */
class SpringExecutorBehaviourTests {

    private static final String PREFIX = "test-";

    @RegisterExtension
    final CapturedLog workqueueLog = CapturedLog.of(LazyWorkqueueTaskExecutor.class);

    @RegisterExtension
    final CapturedLog threadPoolLog = CapturedLog.of(ThreadPoolTaskExecutor.class);

    private final List<ExecutorConfigurationSupport> created = new ArrayList<>();

    @AfterEach
    void shutDown() {
        created.forEach(ExecutorConfigurationSupport::shutdown);
    }

    @ParameterizedTest
    @EnumSource
    void executeRunsTheTaskOnOneOfTheExecutorsThreads(Kind kind) throws Exception {
        AsyncTaskExecutor executor = create(kind, true, Duration.ofSeconds(10), null);
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);

        executor.execute(() -> {
            thread.set(Thread.currentThread().getName());
            ran.countDown();
        });

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thread.get()).startsWith(PREFIX);
    }

    @ParameterizedTest
    @EnumSource
    void anExecutedTaskThatThrowsDoesNotStopTheTasksAfterIt(Kind kind) throws Exception {
        AsyncTaskExecutor executor = create(kind, true, Duration.ofSeconds(10), null);
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        // The failure ends the thread that ran the task, and reaches the uncaught-exception handler.
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> uncaught.add(ex));
        try {
            executor.execute(() -> {
                throw new IllegalStateException("intentional test failure");
            });

            assertThat(executor.submit(() -> "after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
            await().untilAsserted(() -> assertThat(uncaught).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("intentional test failure"));
        }
        finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @ParameterizedTest
    @EnumSource
    void submitHandsBackTheResultOrTheFailure(Kind kind) throws Exception {
        AsyncTaskExecutor executor = create(kind, true, Duration.ofSeconds(10), null);
        IllegalStateException failure = new IllegalStateException("intentional test failure");

        assertThat(executor.submit(() -> { }).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(executor.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
            .startsWith(PREFIX);
        Future<?> failedRunnable = executor.submit((Runnable) () -> {
            throw failure;
        });
        Future<?> failedCallable = executor.submit(() -> {
            throw failure;
        });
        for (Future<?> failed : List.of(failedRunnable, failedCallable)) {
            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                .havingCause()
                .isSameAs(failure);
            assertThat(failed).isDone();
        }
    }

    @ParameterizedTest
    @EnumSource
    void completableFuturesCallBackWithTheResultOrTheFailure(Kind kind) throws Exception {
        AsyncTaskExecutor executor = create(kind, true, Duration.ofSeconds(10), null);
        IllegalStateException failure = new IllegalStateException("intentional test failure");

        CompletableFuture<Object> succeeded = executor.submitCompletable(() -> "answer")
            .handle((result, ex) -> ex != null ? ex : result);
        CompletableFuture<Object> failed = executor.submitCompletable(() -> {
            throw failure;
        }).handle((result, ex) -> ex != null ? ex : result);
        CompletableFuture<Object> failedRunnable = executor.submitCompletable((Runnable) () -> {
            throw failure;
        }).handle((result, ex) -> ex != null ? ex : result);

        assertThat(succeeded.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
        for (CompletableFuture<Object> outcome : List.of(failed, failedRunnable)) {
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(CompletionException.class)
                .extracting(Throwable.class::cast)
                .extracting(Throwable::getCause)
                .isSameAs(failure);
        }
    }

    @ParameterizedTest
    @EnumSource
    void theTaskDecoratorWrapsExecutedAndSubmittedTasks(Kind kind) throws Exception {
        AtomicInteger decorated = new AtomicInteger();
        AsyncTaskExecutor executor = create(kind, true, Duration.ofSeconds(10), task -> () -> {
            decorated.incrementAndGet();
            task.run();
        });
        CountDownLatch ran = new CountDownLatch(1);

        executor.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        executor.submit(() -> { }).get(10, TimeUnit.SECONDS);
        executor.submitCompletable(() -> { }).get(10, TimeUnit.SECONDS);

        assertThat(decorated).hasValue(3);
    }

    @ParameterizedTest
    @EnumSource
    void withoutWaitingForTasksShutdownInterruptsTheRunningTaskAndCancelsTheQueuedOnes(Kind kind)
            throws Exception {
        ExecutorConfigurationSupport lifecycle = lifecycleOf(create(kind, false, Duration.ofSeconds(10), null));
        AsyncTaskExecutor executor = (AsyncTaskExecutor) lifecycle;
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger queuedRuns = new AtomicInteger();
        Future<?> running = executor.submit(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            }
            catch (InterruptedException ex) {
                interrupted.incrementAndGet();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> queuedRunnable = executor.submit(queuedRuns::incrementAndGet);
        Future<?> queuedCallable = executor.submit(() -> queuedRuns.incrementAndGet());

        lifecycle.shutdown();

        assertThat(interrupted).hasValue(1);
        assertThat(running.get(10, TimeUnit.SECONDS)).isNull();
        for (Future<?> queued : List.of(queuedRunnable, queuedCallable)) {
            assertThat(queued).isCancelled();
            assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> queued.get(10, TimeUnit.SECONDS));
        }
        assertThat(queuedRuns).hasValue(0);
        if (kind == Kind.LAZY_WORKQUEUE) {
            assertThat(logged(kind)).containsExactly("WARN Workqueue 'behaviour' was shut down without waiting for"
                    + " its tasks: 2 queued task(s) were dropped and running tasks were interrupted (1 running at"
                    + " shutdown)");
        }
        else {
            assertThat(logged(kind)).isEmpty();
        }
    }

    /**
     * {@code ThreadPoolTaskExecutor} cancels what {@code shutdownNow()} hands back only when it is
     * a {@link Future}; the task behind {@code submitCompletable} is not one (it is the JDK's
     * {@code CompletableFuture.AsyncSupply}), so its future never completes. The workqueue finds
     * the future of every dropped task and cancels it.
     */
    @ParameterizedTest
    @EnumSource
    void aQueuedCompletableFutureIsCancelledByAShutdownWithoutWaitingOnlyOnTheWorkqueue(Kind kind)
            throws Exception {
        ExecutorConfigurationSupport lifecycle = lifecycleOf(create(kind, false, Duration.ofSeconds(10), null));
        AsyncTaskExecutor executor = (AsyncTaskExecutor) lifecycle;
        CountDownLatch started = new CountDownLatch(1);
        executor.execute(() -> {
            started.countDown();
            Latches.awaitQuietly(new CountDownLatch(1));
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = executor.submitCompletable(() -> "never");

        lifecycle.shutdown();

        if (kind == Kind.LAZY_WORKQUEUE) {
            assertThat(queued).isCancelled();
            assertThat(logged(kind)).containsExactly("WARN Workqueue 'behaviour' was shut down without waiting for"
                    + " its tasks: 1 queued task(s) were dropped and running tasks were interrupted (1 running at"
                    + " shutdown)");
        }
        else {
            assertThatExceptionOfType(TimeoutException.class)
                .isThrownBy(() -> queued.get(100, TimeUnit.MILLISECONDS));
            assertThat(logged(kind)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource
    void waitingForTasksWithAnAwaitPeriodLetsQueuedTasksFinishBeforeGetAfterShutdown(Kind kind) throws Exception {
        ExecutorConfigurationSupport lifecycle = lifecycleOf(create(kind, true, Duration.ofSeconds(10), null));
        AsyncTaskExecutor executor = (AsyncTaskExecutor) lifecycle;
        CountDownLatch release = new CountDownLatch(1);
        Future<String> first = executor.submit(() -> {
            Latches.awaitQuietly(release);
            return "first";
        });
        Future<String> second = executor.submit(() -> "second");
        CompletableFuture<String> third = executor.submitCompletable(() -> "third");
        release.countDown();

        lifecycle.shutdown();

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(third).isDone();
        assertThat(List.of(first.get(), second.get(), third.get())).containsExactly("first", "second", "third");
    }

    /**
     * When the await period runs out, {@code ThreadPoolTaskExecutor} logs that it timed out and
     * leaves what is left running after the context has gone; the workqueue interrupts the running
     * task and drops and cancels the queued ones, so that nothing of the application's work runs
     * on after its context is closed, and says so in one warning.
     */
    @ParameterizedTest
    @EnumSource
    void whenTheAwaitPeriodRunsOutOnlyTheWorkqueueDropsWhatIsLeft(Kind kind) throws Exception {
        ExecutorConfigurationSupport lifecycle = lifecycleOf(create(kind, true, Duration.ofMillis(100), null));
        AsyncTaskExecutor executor = (AsyncTaskExecutor) lifecycle;
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            started.countDown();
            Latches.awaitIgnoringInterrupts(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Future<String> queued = executor.submit(() -> "queued");

        lifecycle.shutdown();
        release.countDown();

        if (kind == Kind.LAZY_WORKQUEUE) {
            assertThat(queued).isCancelled();
            assertThat(logged(kind)).containsExactly("WARN Workqueue 'behaviour' did not finish its work within"
                    + " PT0.1S of shutdown: 1 queued task(s) were dropped and running tasks were interrupted (1"
                    + " running when the period ran out)");
        }
        else {
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("queued");
            assertThat(logged(kind)).containsExactly("WARN Timed out while waiting for executor to terminate");
        }
    }

    @ParameterizedTest
    @EnumSource
    void aShutDownExecutorRejectsTasks(Kind kind) {
        ExecutorConfigurationSupport lifecycle = lifecycleOf(create(kind, true, Duration.ofSeconds(10), null));
        AsyncTaskExecutor executor = (AsyncTaskExecutor) lifecycle;

        lifecycle.shutdown();

        assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> executor.execute(() -> { }));
        assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> executor.submit(() -> { }));
        assertThatExceptionOfType(TaskRejectedException.class)
            .isThrownBy(() -> executor.submitCompletable(() -> { }));
    }

    @ParameterizedTest
    @EnumSource
    void aLifecycleStopPausesTheExecutorAndAStartResumesIt(Kind kind) throws Exception {
        ExecutorConfigurationSupport lifecycle = lifecycleOf(create(kind, true, Duration.ofSeconds(10), null));
        AsyncTaskExecutor executor = (AsyncTaskExecutor) lifecycle;
        AtomicInteger ran = new AtomicInteger();
        executor.submit(ran::incrementAndGet).get(10, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);

        lifecycle.stop(stopped::countDown);

        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lifecycle.isRunning()).isFalse();
        Future<?> held = executor.submit(ran::incrementAndGet);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1);

        lifecycle.start();

        held.get(10, TimeUnit.SECONDS);
        assertThat(ran).hasValue(2);
        assertThat(lifecycle.isRunning()).isTrue();
    }

    @ParameterizedTest
    @EnumSource
    void aLifecycleStopReportsBackOnceTheRunningTaskHasFinished(Kind kind) throws Exception {
        ExecutorConfigurationSupport lifecycle = lifecycleOf(create(kind, true, Duration.ofSeconds(10), null));
        AsyncTaskExecutor executor = (AsyncTaskExecutor) lifecycle;
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        executor.execute(() -> {
            started.countDown();
            Latches.awaitQuietly(release);
            finished.incrementAndGet();
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger finishedWhenReported = new AtomicInteger(-1);
        CountDownLatch reported = new CountDownLatch(1);

        lifecycle.stop(() -> {
            finishedWhenReported.set(finished.get());
            reported.countDown();
        });
        release.countDown();

        assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(finishedWhenReported).hasValue(1);
        lifecycle.start();
    }

    private AsyncTaskExecutor create(Kind kind, boolean waitForTasks, Duration awaitTerminationPeriod,
            @Nullable TaskDecorator taskDecorator) {
        ExecutorConfigurationSupport executor = kind.create(waitForTasks, awaitTerminationPeriod, taskDecorator);
        created.add(executor);
        return (AsyncTaskExecutor) executor;
    }

    /** @return what the executor of this kind logged so far in the test, each as its level and message */
    private List<String> logged(Kind kind) {
        CapturedLog log = (kind == Kind.LAZY_WORKQUEUE) ? workqueueLog : threadPoolLog;
        return log.events().stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
    }

    private static ExecutorConfigurationSupport lifecycleOf(AsyncTaskExecutor executor) {
        return (ExecutorConfigurationSupport) executor;
    }

    enum Kind {

        THREAD_POOL {
            @Override
            ExecutorConfigurationSupport create(boolean waitForTasks, Duration awaitTerminationPeriod,
                    @Nullable TaskDecorator taskDecorator) {
                ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
                executor.setCorePoolSize(1);
                executor.setMaxPoolSize(1);
                executor.setThreadNamePrefix(PREFIX);
                executor.setWaitForTasksToCompleteOnShutdown(waitForTasks);
                executor.setAwaitTerminationMillis(awaitTerminationPeriod.toMillis());
                executor.setTaskDecorator(taskDecorator);
                executor.initialize();
                return executor;
            }
        },

        LAZY_WORKQUEUE {
            @Override
            ExecutorConfigurationSupport create(boolean waitForTasks, Duration awaitTerminationPeriod,
                    @Nullable TaskDecorator taskDecorator) {
                return new LazyWorkqueueTaskExecutorBuilder().cpus("0")
                    .affinity(AffinityMode.NONE)
                    .maxActive(1)
                    .threadNamePrefix(PREFIX)
                    .awaitTermination(waitForTasks)
                    .awaitTerminationPeriod(awaitTerminationPeriod)
                    .taskDecorator(taskDecorator)
                    .build("behaviour");
            }
        };

        abstract ExecutorConfigurationSupport create(boolean waitForTasks, Duration awaitTerminationPeriod,
                @Nullable TaskDecorator taskDecorator);
    }
}
