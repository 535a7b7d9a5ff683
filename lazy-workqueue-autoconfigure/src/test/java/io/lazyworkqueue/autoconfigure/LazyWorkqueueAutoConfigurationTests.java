package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.RejectionPolicy;
import io.lazyworkqueue.WorkqueueConfig;
import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LazyWorkqueueAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class,
                    LazyWorkqueueAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

    @Test
    void withoutQueuesItRegistersNoQueue() {
        runner.withPropertyValues("lazy-workqueue.defaults.idle-timeout=5s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LazyWorkqueueRegistry.class);
            assertThat(context).doesNotHaveBean(LazyWorkqueueTaskExecutor.class);
            assertThat(context).hasBean("applicationTaskExecutor");
        });
    }

    @Test
    void withoutQueuesADefaultQueueIsReportedAsNamingNoQueue() {
        runner.withPropertyValues("lazy-workqueue.default-queue=rpciod")
            .run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("there is no queue named 'rpciod'"));
    }

    @Test
    void registersAnExecutorBeanNamedAfterEachQueue() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.idle-timeout=5s",
                "lazy-workqueue.queues.blocking-io.max-active=4").run(context -> {
                    assertThat(context.getBeansOfType(LazyWorkqueueTaskExecutor.class)).containsOnlyKeys("rpciod",
                            "blocking-io");
                    LazyWorkqueueRegistry registry = context.getBean(LazyWorkqueueRegistry.class);
                    assertThat(registry.getNames()).containsExactly("rpciod", "blocking-io");
                    assertThat(context.getBean("rpciod")).isSameAs(registry.get("rpciod"));
                    assertThat(registry.get("blocking-io").getWorkqueue().name()).isEqualTo("blocking-io");
                });
    }

    @Test
    void keepsSpringBootsApplicationTaskExecutorForPlainInjection() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.cpus=" + CpuSet.allowed())
            .withUserConfiguration(InjectionPoints.class)
            .run(context -> {
                InjectionPoints injected = context.getBean(InjectionPoints.class);
                assertThat(context).hasBean("applicationTaskExecutor");
                assertThat(injected.plain).isInstanceOf(ThreadPoolTaskExecutor.class)
                    .isSameAs(context.getBean("applicationTaskExecutor"));
                assertThat(injected.qualified).isSameAs(context.getBean("rpciod"));
            });
    }

    @Test
    void appliesEveryPropertyToItsWorkqueue() {
        runner.withPropertyValues("lazy-workqueue.queues.io.cpus=0-7", "lazy-workqueue.queues.io.core-cpu=3",
                "lazy-workqueue.queues.io.idle-timeout=250ms", "lazy-workqueue.queues.io.max-active=4",
                "lazy-workqueue.queues.io.affinity=none", "lazy-workqueue.queues.io.cpu-selection=round-robin",
                "lazy-workqueue.queues.io.queue-capacity=100", "lazy-workqueue.queues.io.rejection=caller-runs",
                "lazy-workqueue.queues.io.thread-name-prefix=blk-", "lazy-workqueue.queues.io.watchdog-threshold=5s",
                "lazy-workqueue.queues.io.concurrency-threshold=20ms", "lazy-workqueue.queues.io.dedicated=true")
            .run(context -> assertThat(configOf(context.getBean("io"))).isEqualTo(new WorkqueueConfig("io",
                    CpuSet.parse("0-7"), 3, Duration.ofMillis(250), 4, AffinityMode.NONE, CpuSelection.ROUND_ROBIN, 100,
                    RejectionPolicy.CALLER_RUNS, "blk-", Duration.ofSeconds(1), 256, Duration.ofSeconds(5),
                    Duration.ofMillis(20), true)));
    }

    @Test
    void defaultsToTheEnginesDefaults() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1").run(context -> {
            WorkqueueConfig config = configOf(context.getBean("rpciod"));
            assertThat(config.cpus()).isEqualTo(CpuSet.allowed());
            assertThat(config.coreCpu()).isEqualTo(CpuSet.allowed().first());
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.affinity()).isEqualTo(AffinityMode.STRICT);
            assertThat(config.cpuSelection()).isEqualTo(CpuSelection.LOCAL);
            assertThat(config.unbounded()).isTrue();
            assertThat(config.rejection()).isEqualTo(RejectionPolicy.ABORT);
            assertThat(config.threadNamePrefix()).isEqualTo("rpciod/");
            assertThat(config.watchdogThreshold()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.concurrencyThreshold()).isEqualTo(WorkqueueConfig.DEFAULT_CONCURRENCY_THRESHOLD);
            assertThat(config.dedicated()).isFalse();
        });
    }

    @Test
    void appliesCustomizersInOrderToEveryQueue() {
        runner.withPropertyValues("lazy-workqueue.queues.a.max-active=1", "lazy-workqueue.queues.b.max-active=1")
            .withUserConfiguration(Customizers.class)
            .run(context -> {
                assertThat(configOf(context.getBean("a")).threadNamePrefix()).isEqualTo("second-a-");
                assertThat(configOf(context.getBean("b")).eventHistory()).isEqualTo(7);
            });
    }

    @Test
    void appliesATaskDecoratorToQueuedWork() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1")
            .withUserConfiguration(OneDecorator.class)
            .run(context -> assertThat(runThrough(context.getBean("rpciod", LazyWorkqueueTaskExecutor.class)))
                .containsExactly("only"));
    }

    @Test
    void appliesSeveralTaskDecoratorsInOrder() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1")
            .withUserConfiguration(TwoDecorators.class)
            .run(context -> assertThat(runThrough(context.getBean("rpciod", LazyWorkqueueTaskExecutor.class)))
                .containsExactly("first", "second"));
    }

    @Test
    void aDefaultQueueRunsPlainAsyncMethods() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1", "lazy-workqueue.default-queue=rpciod")
            .run(context -> assertThat(context.getBean(AsyncConfigurer.class).getAsyncExecutor())
                .isSameAs(context.getBean("rpciod")));
    }

    @Test
    void withoutADefaultQueuePlainAsyncMethodsRunOnTheApplicationTaskExecutor() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1")
            .run(context -> assertThat(context.getBean(AsyncConfigurer.class).getAsyncExecutor())
                .isSameAs(context.getBean("applicationTaskExecutor")));
    }

    @Test
    void aUsersAsyncConfigurerWinsOverTheDefaultQueue() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1", "lazy-workqueue.default-queue=rpciod")
            .withUserConfiguration(UserAsyncConfigurer.class)
            .run(context -> assertThat(context.getBean(AsyncConfigurer.class).getAsyncExecutor())
                .isSameAs(UserAsyncConfigurer.EXECUTOR));
    }

    @Test
    void queuesStopWithTheContextAndRefuseLaterWork() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1").run(context -> {
            LazyWorkqueueTaskExecutor executor = context.getBean("rpciod", LazyWorkqueueTaskExecutor.class);
            CompletableFuture.runAsync(() -> { }, executor).get(10, TimeUnit.SECONDS);
            assertThat(executor.isRunning()).isTrue();

            context.close();

            assertThat(executor.isRunning()).isFalse();
            assertThat(executor.getWorkqueue().isTerminated()).isTrue();
            assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> executor.execute(() -> { }))
                .withMessage("Workqueue 'rpciod' has shut down and accepts no work");
        });
    }

    private static WorkqueueConfig configOf(Object bean) {
        return ((LazyWorkqueueTaskExecutor) bean).getWorkqueue().config();
    }

    /** @return the decorators that one task passed through, in the order they were applied */
    private static List<String> runThrough(LazyWorkqueueTaskExecutor executor) throws Exception {
        RecordingDecorator.seen.clear();
        CompletableFuture.runAsync(() -> { }, executor).get(10, TimeUnit.SECONDS);
        return RecordingDecorator.seen;
    }

    @Configuration(proxyBeanMethods = false)
    static class InjectionPoints {

        @Autowired
        TaskExecutor plain;

        @Autowired
        @Qualifier("rpciod")
        TaskExecutor qualified;
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        @Bean
        @Order(2)
        LazyWorkqueueBuilderCustomizer second() {
            return (name, builder) -> builder.threadNamePrefix("second-" + name + "-");
        }

        @Bean
        @Order(1)
        LazyWorkqueueBuilderCustomizer first() {
            return (name, builder) -> builder.threadNamePrefix("first-" + name + "-").eventHistory(7);
        }
    }

    static final class RecordingDecorator implements TaskDecorator {

        static final List<String> seen = new CopyOnWriteArrayList<>();

        private final String name;

        RecordingDecorator(String name) {
            this.name = name;
        }

        @Override
        public Runnable decorate(Runnable runnable) {
            seen.add(name);
            return runnable;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OneDecorator {

        @Bean
        TaskDecorator only() {
            return new RecordingDecorator("only");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDecorators {

        @Bean
        @Order(2)
        TaskDecorator second() {
            return new RecordingDecorator("second");
        }

        @Bean
        @Order(1)
        TaskDecorator first() {
            return new RecordingDecorator("first");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserAsyncConfigurer implements AsyncConfigurer {

        static final Executor EXECUTOR = Runnable::run;

        @Override
        public Executor getAsyncExecutor() {
            return EXECUTOR;
        }
    }
}
