package io.lazyworkqueue.spring;

import io.lazyworkqueue.LazyWorkqueue;

/**
 * Customizes the builder of each configured workqueue after its properties are applied. Beans of
 * this type are applied in their {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface LazyWorkqueueBuilderCustomizer {

    /**
     * @param name the queue's name, as configured under {@code lazy-workqueue.queues}
     * @param builder its builder, with the configured settings applied
     */
    void customize(String name, LazyWorkqueue.Builder builder);
}
