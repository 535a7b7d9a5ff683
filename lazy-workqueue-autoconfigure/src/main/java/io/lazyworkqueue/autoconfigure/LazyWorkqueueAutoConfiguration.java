package io.lazyworkqueue.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.annotation.AsyncConfigurer;

/**
 * Auto-configuration of the lazy workqueues declared under {@code lazy-workqueue.queues}: one
 * {@link LazyWorkqueueTaskExecutor} bean per queue, named after it, and a
 * {@link LazyWorkqueueRegistry} of them all. Runs before Spring Boot's task execution
 * auto-configuration so that a configured default queue takes the place of its executor for
 * plain {@code @Async} methods, while its {@code applicationTaskExecutor} stays.
 */
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class)
@Conditional(OnQueuesConfiguredCondition.class)
@EnableConfigurationProperties(LazyWorkqueueProperties.class)
@Import(QueueBeansRegistrar.class)
public final class LazyWorkqueueAutoConfiguration {

    @Bean
    @ConfigurationPropertiesBinding
    static CpuSetConverter lazyWorkqueueCpuSetConverter() {
        return new CpuSetConverter();
    }

    @Bean
    LazyWorkqueueRegistry lazyWorkqueueRegistry(LazyWorkqueueProperties properties,
            ObjectProvider<LazyWorkqueueBuilderCustomizer> customizers, ObjectProvider<TaskDecorator> taskDecorators) {
        List<TaskDecorator> decorators = taskDecorators.orderedStream().toList();
        TaskDecorator decorator = switch (decorators.size()) {
            case 0 -> null;
            case 1 -> decorators.get(0);
            default -> new CompositeTaskDecorator(decorators);
        };
        LazyWorkqueueFactory factory = new LazyWorkqueueFactory(customizers.orderedStream().toList(), decorator,
                properties.getDefaults());
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
