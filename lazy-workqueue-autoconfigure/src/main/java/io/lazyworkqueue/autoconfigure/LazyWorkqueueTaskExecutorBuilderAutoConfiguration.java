package io.lazyworkqueue.autoconfigure;

import java.util.List;

import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutorBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;

/**
 * Auto-configuration of a {@link LazyWorkqueueTaskExecutorBuilder} with the application's
 * {@link LazyWorkqueueBuilderCustomizer}s and task decorators, whether or not any queue is
 * configured, so that queues created in code behave like the configured ones.
 */
@AutoConfiguration
public final class LazyWorkqueueTaskExecutorBuilderAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LazyWorkqueueTaskExecutorBuilder lazyWorkqueueTaskExecutorBuilder(
            ObjectProvider<LazyWorkqueueBuilderCustomizer> customizers, ObjectProvider<TaskDecorator> taskDecorators) {
        return new LazyWorkqueueTaskExecutorBuilder().customizers(customizers.orderedStream().toList())
            .taskDecorator(taskDecorator(taskDecorators.orderedStream().toList()));
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
