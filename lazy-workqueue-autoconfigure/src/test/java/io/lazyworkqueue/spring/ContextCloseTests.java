package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueAutoConfiguration;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueTaskExecutorBuilderAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** What happens to queued and running work when the application context closes. */
class ContextCloseTests {

    @RegisterExtension
    final CapturedLog log = CapturedLog.of(LazyWorkqueueTaskExecutor.class);

    @Test
    void closingTheContextLetsQueuedWorkFinishWithinTheAwaitPeriod() {
        AtomicInteger finished = new AtomicInteger();
        ConfigurableApplicationContext context = start("10s");
        LazyWorkqueueTaskExecutor executor = context.getBean("work", LazyWorkqueueTaskExecutor.class);
        for (int i = 0; i < 40; i++) {
            executor.execute(() -> {
                // Long enough that most tasks are still queued when the context closes.
                busyFor(5);
                finished.incrementAndGet();
            });
        }

        context.close();

        assertThat(finished).hasValue(40);
        assertThat(executor.getWorkqueue().isTerminated()).isTrue();
    }

    @Test
    void workLeftAfterTheAwaitPeriodIsInterruptedAndDroppedWithAWarningThatCountsIt() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        ConfigurableApplicationContext context = start("100ms");
        LazyWorkqueueTaskExecutor executor = context.getBean("work", LazyWorkqueueTaskExecutor.class);
        for (int cpu = 0; cpu < 2; cpu++) {
            executor.executeOn(cpu, () -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException ex) {
                    interrupted.incrementAndGet();
                }
            });
        }
        for (int i = 0; i < 6; i++) {
            executor.executeOn(i % 2, () -> { });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        context.close();

        assertWarned("Workqueue 'work' did not finish its work within PT0.1S of shutdown: 6 queued task(s) were"
                + " dropped and running tasks were interrupted (2 running when the period ran out)");
        assertThat(executor.getWorkqueue().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).hasValue(2);
    }

    @Test
    void futuresOfWorkDroppedWhenTheContextClosesAreCancelled() {
        AtomicInteger ran = new AtomicInteger();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations
            .of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class, LazyWorkqueueAutoConfiguration.class))
            .withUserConfiguration(DecoratedAsyncWork.class)
            .withPropertyValues("lazy-workqueue.queues.work.cpus=0-1", "lazy-workqueue.queues.work.affinity=none",
                    "lazy-workqueue.queues.work.cpu-selection=round-robin", "lazy-workqueue.queues.work.max-active=1",
                    "lazy-workqueue.queues.work.shutdown.await-termination-period=100ms")
            .run(context -> {
                LazyWorkqueueTaskExecutor executor = context.getBean("work", LazyWorkqueueTaskExecutor.class);
                CountDownLatch started = new CountDownLatch(2);
                for (int cpu = 0; cpu < 2; cpu++) {
                    executor.executeOn(cpu, () -> {
                        started.countDown();
                        Latches.awaitQuietly(new CountDownLatch(1));
                    });
                }
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                Future<?> submitted = executor.submit(ran::incrementAndGet);
                CompletableFuture<String> async = context.getBean(AsyncWork.class).answer(ran);

                context.close();

                assertThat(List.of(submitted, async)).allSatisfy(future -> {
                    assertThat(future.isCancelled()).as("cancelled: %s", future).isTrue();
                    assertThatExceptionOfType(CancellationException.class)
                        .isThrownBy(() -> future.get(10, TimeUnit.SECONDS));
                });
                assertThat(ran).hasValue(0);
                assertWarned("Workqueue 'work' did not finish its work within PT0.1S of shutdown: 2 queued task(s)"
                        + " were dropped and running tasks were interrupted (2 running when the period ran out)");
            });
    }

    @Test
    void aTaskThatIgnoresTheInterruptIsReportedOnceWhenTheContextCloses() throws Exception {
        closeWhileATaskIgnoresItsInterrupt("100ms");

        assertWarned("Workqueue 'work' did not finish its work within PT0.1S of shutdown: running tasks were"
                + " interrupted (1 running when the period ran out)");
    }

    @Test
    void aQueueRefusesTasksOnceTheContextStartsClosing() {
        runnerWithLateSubmitter().run(context -> {
            LateSubmitter submitter = context.getBean(LateSubmitter.class);

            context.close();

            assertThat(submitter.outcome).startsWith("rejected: Workqueue 'work' has shut down");
        });
    }

    @Test
    void aQueueThatAcceptsTasksAfterContextCloseRunsThoseOfLaterStopsAndDestroyCallbacks() {
        runnerWithLateSubmitter()
            .withPropertyValues("lazy-workqueue.queues.work.shutdown.accept-tasks-after-context-close=true")
            .run(context -> {
                LateSubmitter submitter = context.getBean(LateSubmitter.class);

                context.close();

                assertThat(submitter.outcome).startsWith("ran on work/");
            });
    }

    @Test
    void stoppingTheContextPausesAQueueAndStartingItResumesIt() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (ConfigurableApplicationContext context = start("10s")) {
            LazyWorkqueueTaskExecutor executor = context.getBean("work", LazyWorkqueueTaskExecutor.class);

            context.stop();
            Future<?> held = executor.submit(ran::incrementAndGet);

            assertThat(executor.isRunning()).isFalse();
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 0);
            context.start();
            held.get(10, TimeUnit.SECONDS);
            assertThat(ran).hasValue(1);
            assertThat(executor.isRunning()).isTrue();
        }
    }

    @Test
    void aTaskThatNeverEndsHoldsUpTheContextsCloseForTheAwaitPeriodNotTheLifecycleTimeout() throws Exception {
        Duration close = closeWhileATaskIgnoresItsInterrupt("200ms");

        // Spring's stop phase would otherwise wait spring.lifecycle.timeout-per-shutdown-phase (30s).
        assertThat(close).isLessThan(Duration.ofSeconds(10));
        assertWarned("Workqueue 'work' did not finish its work within PT0.2S of shutdown: running tasks were"
                + " interrupted (1 running when the period ran out)");
    }

    /**
     * Closes a context while its queue runs a task that ignores the interrupt, then lets the task
     * end and checks the queue terminates.
     * @return how long the close took
     */
    private Duration closeWhileATaskIgnoresItsInterrupt(String awaitTerminationPeriod) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConfigurableApplicationContext context = start(awaitTerminationPeriod);
        LazyWorkqueueTaskExecutor executor = context.getBean("work", LazyWorkqueueTaskExecutor.class);
        Duration close;
        try {
            executor.executeOn(0, () -> {
                started.countDown();
                Latches.awaitIgnoringInterrupts(release);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            long begin = System.nanoTime();

            context.close();

            close = Duration.ofNanos(System.nanoTime() - begin);
        }
        finally {
            release.countDown();
        }
        assertThat(executor.getWorkqueue().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        return close;
    }

    private static ApplicationContextRunner runnerWithLateSubmitter() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations
            .of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class, LazyWorkqueueAutoConfiguration.class))
            .withBean(LateSubmitter.class)
            .withPropertyValues("lazy-workqueue.queues.work.cpus=0-1", "lazy-workqueue.queues.work.affinity=none",
                    "lazy-workqueue.queues.work.cpu-selection=round-robin", "lazy-workqueue.queues.work.max-active=1");
    }

    private ConfigurableApplicationContext start(String awaitTerminationPeriod) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).listeners(log.reattachOnStart())
            .properties("lazy-workqueue.queues.work.cpus=0-1", "lazy-workqueue.queues.work.affinity=none",
                    "lazy-workqueue.queues.work.cpu-selection=round-robin", "lazy-workqueue.queues.work.max-active=1",
                    "lazy-workqueue.queues.work.shutdown.await-termination-period=" + awaitTerminationPeriod)
            .run();
    }

    /** The executor logged this one warning and nothing else. */
    private void assertWarned(String message) {
        assertThat(log.events()).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
            .containsExactly(tuple(Level.WARN, message));
    }

    private static void busyFor(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @SpringBootApplication
    static class App {

    }

    /**
     * A queue user with a task decorator and an {@code @Async} method. Not a
     * {@code @Configuration}, so that {@link App}'s component scan leaves it out.
     */
    @EnableAsync
    static class DecoratedAsyncWork {

        @Bean
        TaskDecorator taskDecorator() {
            return task -> () -> task.run();
        }

        @Bean
        AsyncWork asyncWork() {
            return new AsyncWork();
        }
    }

    /**
     * Submits to the queue from its own destruction, as a bean that flushes its work on close
     * does; it depends on the queue, so it is destroyed first.
     */
    static final class LateSubmitter implements DisposableBean {

        volatile String outcome = "not submitted";

        private final LazyWorkqueueTaskExecutor work;

        LateSubmitter(@Qualifier("work") LazyWorkqueueTaskExecutor work) {
            this.work = work;
        }

        @Override
        public void destroy() throws Exception {
            try {
                String thread = work.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
                outcome = "ran on " + thread;
            }
            catch (TaskRejectedException ex) {
                outcome = "rejected: " + ex.getMessage();
            }
        }
    }

    static class AsyncWork {

        @Async("work")
        public CompletableFuture<String> answer(AtomicInteger ran) {
            ran.incrementAndGet();
            return CompletableFuture.completedFuture("answer");
        }
    }
}
