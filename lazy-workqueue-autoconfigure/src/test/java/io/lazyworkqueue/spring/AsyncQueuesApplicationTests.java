package io.lazyworkqueue.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.CpuSet;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** An application that uses two queues and a plain {@code @Async} method, as users write it. */
@SpringBootTest(properties = { "lazy-workqueue.queues.rpciod.idle-timeout=1m",
        "lazy-workqueue.queues.blocking.max-active=3", "lazy-workqueue.queues.blocking.affinity=none",
        "lazy-workqueue.queues.blocking.cpu-selection=round-robin" })
class AsyncQueuesApplicationTests {

    @Autowired
    private Workers workers;

    @Autowired
    private ApplicationContext context;

    @Test
    void asyncMethodsRunOnTheirQueuesThreadsPinnedToTheCpuInTheirName() throws Exception {
        Placement placement = workers.onRpciod().get(10, TimeUnit.SECONDS);

        assertThat(placement.thread()).matches("rpciod/\\d+:\\d+");
        int cpu = Integer.parseInt(placement.thread().substring("rpciod/".length(), placement.thread().indexOf(':')));
        assertThat(placement.allowedCpus()).isEqualTo(CpuSet.of(cpu));
    }

    @Test
    void asyncMethodsOfASecondQueueRunOnItsThreads() throws Exception {
        assertThat(workers.onBlocking("x").get(10, TimeUnit.SECONDS)).startsWith("blocking/").endsWith(" x");
    }

    @Test
    void exceptionsOfAsyncMethodsReachTheirFutures() {
        CompletableFuture<String> failing = workers.onBlocking(null);

        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
            .withCauseInstanceOf(IllegalArgumentException.class)
            .withMessageContaining("no input");
    }

    @Test
    void plainAsyncMethodsStillRunOnSpringBootsApplicationTaskExecutor() throws Exception {
        assertThat(workers.plain().get(10, TimeUnit.SECONDS)).startsWith("task-");
        assertThat(context.getBean("applicationTaskExecutor")).isInstanceOf(ThreadPoolTaskExecutor.class);
    }

    @SpringBootApplication
    @EnableAsync
    static class App {

        @Bean
        Workers workers() {
            return new Workers();
        }
    }

    static class Workers {

        @Async("rpciod")
        public CompletableFuture<Placement> onRpciod() {
            return CompletableFuture.completedFuture(Placement.current());
        }

        @Async("blocking")
        public CompletableFuture<String> onBlocking(String input) {
            if (input == null) {
                throw new IllegalArgumentException("no input");
            }
            return CompletableFuture.completedFuture(Thread.currentThread().getName() + " " + input);
        }

        @Async
        public CompletableFuture<String> plain() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }
}
