package io.lazyworkqueue.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The thread a task ran on, and the CPUs the kernel lets it use. */
    record Placement(String thread, CpuSet allowedCpus) {

        /**
         * Asks the kernel, not the engine that pinned the thread. {@link CpuSet#allowed()} cannot tell: it is
         * the process's set, whatever the calling thread is pinned to.
         */
        static Placement current() {
            try {
                String allowed = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                    .filter(line -> line.startsWith("Cpus_allowed_list:"))
                    .findFirst()
                    .orElseThrow();
                return new Placement(Thread.currentThread().getName(),
                        CpuSet.parse(allowed.substring(allowed.indexOf(':') + 1)));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
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
