package io.lazyworkqueue.spring;

import io.lazyworkqueue.LazyWorkqueue;

/**
 * Customizes the engine builder of each workqueue that a {@link LazyWorkqueueTaskExecutorBuilder}
 * builds, after its settings are applied: the configured queues, and queues created in code from
 * the auto-configured builder. Beans of this type are applied in their
 * {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface LazyWorkqueueBuilderCustomizer {

    /**
     * @param name the queue's name, as configured under {@code lazy-workqueue.queues} or given to
     *        {@link LazyWorkqueueTaskExecutorBuilder#build(String)}
     * @param builder its builder, with the queue's settings applied
     */
    void customize(String name, LazyWorkqueue.Builder builder);
}
