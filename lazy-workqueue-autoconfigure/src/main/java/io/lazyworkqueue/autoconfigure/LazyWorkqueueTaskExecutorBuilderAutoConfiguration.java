package io.lazyworkqueue.autoconfigure;

import java.util.List;

import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutorBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;

/**
 * Auto-configuration of a {@link LazyWorkqueueTaskExecutorBuilder} with the application's
 * {@link LazyWorkqueueBuilderCustomizer}s, task decorators and {@code lazy-workqueue.defaults},
 * whether or not any queue is configured, so that queues created in code behave like the
 * configured ones, which it builds too.
 */
@AutoConfiguration
@EnableConfigurationProperties(LazyWorkqueueProperties.class)
public final class LazyWorkqueueTaskExecutorBuilderAutoConfiguration {

    @Bean
    @ConfigurationPropertiesBinding
    static CpuSetConverter lazyWorkqueueCpuSetConverter() {
        return new CpuSetConverter();
    }

    @Bean
    @ConditionalOnMissingBean
    LazyWorkqueueTaskExecutorBuilder lazyWorkqueueTaskExecutorBuilder(LazyWorkqueueProperties properties,
            ObjectProvider<LazyWorkqueueBuilderCustomizer> customizers, ObjectProvider<TaskDecorator> taskDecorators) {
        LazyWorkqueueTaskExecutorBuilder builder = new LazyWorkqueueTaskExecutorBuilder()
            .customizers(customizers.orderedStream().toList())
            .taskDecorator(taskDecorator(taskDecorators.orderedStream().toList()));
        return LazyWorkqueueFactory.configure(builder, QueueSettings.defaultsOnly(properties.getDefaults()));
    }

    /** Composes the decorators as the configured queues and Spring Boot's own executors do. */
    private static @Nullable TaskDecorator taskDecorator(List<TaskDecorator> decorators) {
        return switch (decorators.size()) {
            case 0 -> null;
            case 1 -> decorators.get(0);
            default -> new CompositeTaskDecorator(decorators);
        };
    }
}
