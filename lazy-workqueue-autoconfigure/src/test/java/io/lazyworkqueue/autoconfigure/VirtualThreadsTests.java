package io.lazyworkqueue.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.CpuSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spring.threads.virtual.enabled} turns Spring Boot's executor virtual and leaves the queues alone: their
 * workers are platform threads pinned to a CPU. Compiled at release 17, so threads are told apart by their
 * {@code toString()}, which names a virtual thread {@code VirtualThread[...]}.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class,
                        LazyWorkqueueAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
        .withPropertyValues("spring.threads.virtual.enabled=true",
                "lazy-workqueue.queues.rpciod.cpus=" + CpuSet.allowed());

    @Test
    void withVirtualThreadsEnabledQueuesStayPlatformThreadsPinnedWhileTheApplicationTaskExecutorTurnsVirtual() {
        runner.run(context -> {
            Placement onQueue = placementOn(context.getBean("rpciod", Executor.class));
            Placement onApplicationExecutor = placementOn(context.getBean("applicationTaskExecutor", Executor.class));

            assertThat(onQueue.thread()).startsWith("Thread[").contains("rpciod/");
            assertThat(onQueue.allowedCpus().size()).isEqualTo(1);
            assertThat(onApplicationExecutor.thread()).startsWith("VirtualThread[");
        });
    }

    private static Placement placementOn(Executor executor) throws Exception {
        return CompletableFuture.supplyAsync(Placement::current, executor).get(10, TimeUnit.SECONDS);
    }

    /** The thread a task ran on, and the CPUs the kernel lets it use. */
    private record Placement(String thread, CpuSet allowedCpus) {

        static Placement current() {
            try {
                String allowed = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                    .filter(line -> line.startsWith("Cpus_allowed_list:"))
                    .findFirst()
                    .orElseThrow();
                return new Placement(Thread.currentThread().toString(),
                        CpuSet.parse(allowed.substring(allowed.indexOf(':') + 1)));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
