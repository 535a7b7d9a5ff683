package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutorBuilder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

class LazyWorkqueueTaskExecutorBuilderAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(LazyWorkqueueAutoConfiguration.class,
                    LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class));

    @Test
    void theBuilderIsThereWhenNoQueueIsConfigured() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(LazyWorkqueueTaskExecutorBuilder.class);
            assertThat(context).doesNotHaveBean(LazyWorkqueueTaskExecutor.class);
        });
    }

    @Test
    void theBuilderIsThereBesideConfiguredQueues() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1")
            .run(context -> assertThat(context).hasSingleBean(LazyWorkqueueTaskExecutorBuilder.class)
                .hasBean("rpciod"));
    }

    @Test
    void theBuilderBacksOffForTheApplicationsOwn() {
        runner.withUserConfiguration(OwnBuilder.class)
            .run(context -> assertThat(context).getBean(LazyWorkqueueTaskExecutorBuilder.class)
                .isSameAs(context.getBean(OwnBuilder.class).builder));
    }

    @Test
    void aQueueBuiltFromTheBuilderGetsTheApplicationsCustomizersAndDecoratorsInOrder() {
        runner.withUserConfiguration(CustomizersAndDecorators.class).run(context -> {
            LazyWorkqueueTaskExecutor executor = context.getBean(LazyWorkqueueTaskExecutorBuilder.class)
                .cpus("0")
                .affinity(AffinityMode.NONE)
                .build("built");
            try {
                assertThat(executor.getWorkqueue().config().threadNamePrefix()).isEqualTo("second-built-");
                assertThat(executor.getWorkqueue().config().eventHistory()).isEqualTo(7);
                CustomizersAndDecorators.seen.clear();
                CompletableFuture.runAsync(() -> { }, executor).get(10, TimeUnit.SECONDS);
                assertThat(CustomizersAndDecorators.seen).containsExactly("first", "second");
            }
            finally {
                executor.shutdown();
            }
        });
    }

    @Test
    void aQueueBuiltFromTheBuilderTakesTheConfiguredDefaultsAsTheConfiguredQueuesDo() {
        runner.withPropertyValues("lazy-workqueue.defaults.idle-timeout=42s", "lazy-workqueue.defaults.affinity=none",
                "lazy-workqueue.defaults.cpus=0-9", "lazy-workqueue.defaults.shutdown.await-termination-period=7s",
                "lazy-workqueue.queues.configured.max-active=1")
            .run(context -> {
                LazyWorkqueueTaskExecutor built = context.getBean(LazyWorkqueueTaskExecutorBuilder.class).build("built");
                try {
                    for (LazyWorkqueueTaskExecutor executor : List.of(built,
                            context.getBean("configured", LazyWorkqueueTaskExecutor.class))) {
                        assertThat(executor.getWorkqueue().config().idleTimeout()).isEqualTo(Duration.ofSeconds(42));
                        assertThat(executor.getWorkqueue().config().affinity()).isEqualTo(AffinityMode.NONE);
                        assertThat(executor.getWorkqueue().config().cpus()).hasToString("0-9");
                        assertThat(executor.getAwaitTerminationPeriod()).isEqualTo(Duration.ofSeconds(7));
                    }
                }
                finally {
                    built.shutdown();
                }
            });
    }

    @Test
    void theConfiguredQueuesAreBuiltByTheApplicationsOwnBuilder() {
        runner.withUserConfiguration(OwnBuilder.class)
            .withPropertyValues("lazy-workqueue.queues.configured.max-active=1")
            .run(context -> assertThat(context.getBean("configured", LazyWorkqueueTaskExecutor.class)
                .getWorkqueue()
                .config()
                .threadNamePrefix()).isEqualTo("own-configured-"));
    }

    @Test
    void aQueueDeclaredAsABeanFromTheBuilderShutsDownWithTheContext() {
        runner.withUserConfiguration(QueueBean.class).run(context -> {
            LazyWorkqueueTaskExecutor executor = context.getBean("reports", LazyWorkqueueTaskExecutor.class);
            CompletableFuture.runAsync(() -> { }, executor).get(10, TimeUnit.SECONDS);

            context.close();

            assertThat(executor.getWorkqueue().isTerminated()).isTrue();
            assertThat(executor.isRunning()).isFalse();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBuilder {

        final LazyWorkqueueTaskExecutorBuilder builder = new LazyWorkqueueTaskExecutorBuilder()
            .customizers((name, queue) -> queue.threadNamePrefix("own-" + name + "-"));

        @Bean
        LazyWorkqueueTaskExecutorBuilder ownBuilder() {
            return builder;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizersAndDecorators {

        static final List<String> seen = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        LazyWorkqueueBuilderCustomizer secondCustomizer() {
            return (name, builder) -> builder.threadNamePrefix("second-" + name + "-");
        }

        @Bean
        @Order(1)
        LazyWorkqueueBuilderCustomizer firstCustomizer() {
            return (name, builder) -> builder.threadNamePrefix("first-" + name + "-").eventHistory(7);
        }

        @Bean
        @Order(2)
        TaskDecorator secondDecorator() {
            return recording("second");
        }

        @Bean
        @Order(1)
        TaskDecorator firstDecorator() {
            return recording("first");
        }

        private static TaskDecorator recording(String name) {
            return task -> {
                seen.add(name);
                return task;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class QueueBean {

        // Not a default candidate, as the configured queues, so that Spring Boot's applicationTaskExecutor stays.
        @Bean(defaultCandidate = false)
        LazyWorkqueueTaskExecutor reports(LazyWorkqueueTaskExecutorBuilder builder) {
            return builder.cpus("0").affinity(AffinityMode.NONE).build("reports");
        }
    }
}
