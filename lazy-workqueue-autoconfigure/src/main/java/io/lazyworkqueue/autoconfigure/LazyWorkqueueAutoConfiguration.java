package io.lazyworkqueue.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutorBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.AsyncConfigurer;

/**
 * Auto-configuration of the lazy workqueues declared under {@code lazy-workqueue.queues}: one
 * {@link LazyWorkqueueTaskExecutor} bean per queue, named after it, and a
 * {@link LazyWorkqueueRegistry} of them all. Each queue is built by the application's
 * {@link LazyWorkqueueTaskExecutorBuilder}, so it gets the same customizers and task decorators
 * as queues created in code. Runs before Spring Boot's task execution
 * auto-configuration so that a configured default queue takes the place of its executor for
 * plain {@code @Async} methods, while its {@code applicationTaskExecutor} stays.
 */
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class,
        after = LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class)
@Conditional(OnQueuesConfiguredCondition.class)
@EnableConfigurationProperties(LazyWorkqueueProperties.class)
@Import(QueueBeansRegistrar.class)
public final class LazyWorkqueueAutoConfiguration {

    @Bean
    LazyWorkqueueRegistry lazyWorkqueueRegistry(LazyWorkqueueProperties properties,
            LazyWorkqueueTaskExecutorBuilder builder) {
        LazyWorkqueueFactory factory = new LazyWorkqueueFactory(builder, properties.getDefaults());
        Map<String, LazyWorkqueueTaskExecutor> executors = new LinkedHashMap<>();
        properties.getQueues().forEach((name, queue) -> executors.put(name, factory.create(name, queue)));
        return new LazyWorkqueueRegistry(executors);
    }

    @Bean
    @ConditionalOnProperty("lazy-workqueue.default-queue")
    @ConditionalOnMissingBean(AsyncConfigurer.class)
    AsyncConfigurer lazyWorkqueueAsyncConfigurer(ObjectProvider<LazyWorkqueueRegistry> registry,
            LazyWorkqueueProperties properties) {
        return new DefaultQueueAsyncConfigurer(registry, String.valueOf(properties.getDefaultQueue()));
    }
}
