package io.lazyworkqueue.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.spring.Placement;
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

            assertThat(onQueue.description()).startsWith("Thread[").contains("rpciod/");
            assertThat(onQueue.allowedCpus().size()).isEqualTo(1);
            assertThat(onApplicationExecutor.description()).startsWith("VirtualThread[");
        });
    }

    private static Placement placementOn(Executor executor) throws Exception {
        return CompletableFuture.supplyAsync(Placement::current, executor).get(10, TimeUnit.SECONDS);
    }
}
