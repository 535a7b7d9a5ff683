package io.lazyworkqueue.autoconfigure;

import java.util.concurrent.Executor;

import io.lazyworkqueue.spring.LazyWorkqueueRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.AsyncConfigurer;

/** Runs {@code @Async} methods that name no executor on the configured default queue. */
final class DefaultQueueAsyncConfigurer implements AsyncConfigurer {

    private final ObjectProvider<LazyWorkqueueRegistry> registry;

    private final String defaultQueue;

    DefaultQueueAsyncConfigurer(ObjectProvider<LazyWorkqueueRegistry> registry, String defaultQueue) {
        this.registry = registry;
        this.defaultQueue = defaultQueue;
    }

    @Override
    public Executor getAsyncExecutor() {
        // Looked up when the first @Async method runs, not while @Async support is being set up.
        return registry.getObject().get(defaultQueue);
    }
}
