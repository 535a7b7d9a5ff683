package io.lazyworkqueue.spring;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** What happens to queued and running work when the application context closes. */
@ExtendWith(OutputCaptureExtension.class)
class ContextCloseTests {

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
    void workLeftAfterTheAwaitPeriodIsInterruptedAndDroppedWithAWarningThatCountsIt(CapturedOutput output)
            throws Exception {
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

        assertThat(output).contains("Workqueue 'work' did not finish its work within PT0.1S of shutdown: 6 queued"
                + " task(s) were dropped and 2 running task(s) were interrupted");
        assertThat(executor.getWorkqueue().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).hasValue(2);
    }

    private static ConfigurableApplicationContext start(String awaitTerminationPeriod) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .properties("lazy-workqueue.queues.work.cpus=0-1", "lazy-workqueue.queues.work.affinity=none",
                    "lazy-workqueue.queues.work.cpu-selection=round-robin",
                    "lazy-workqueue.queues.work.shutdown.await-termination-period=" + awaitTerminationPeriod)
            .run();
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
}
