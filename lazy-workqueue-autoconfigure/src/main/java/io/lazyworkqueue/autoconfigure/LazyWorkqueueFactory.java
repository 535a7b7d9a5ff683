package io.lazyworkqueue.autoconfigure;

import java.util.function.BiFunction;

import io.lazyworkqueue.InvalidWorkqueueSettingException;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueProperties.Queue;
import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutorBuilder;

/**
 * Builds the executor of a configured queue from the application's executor builder, the queue's
 * settings and, where it sets none, {@code lazy-workqueue.defaults}; a setting neither gives keeps
 * the builder's value.
 */
final class LazyWorkqueueFactory {

    private final LazyWorkqueueTaskExecutorBuilder builder;

    private final Queue defaults;

    LazyWorkqueueFactory(LazyWorkqueueTaskExecutorBuilder builder, Queue defaults) {
        this.builder = builder;
        this.defaults = defaults;
    }

    LazyWorkqueueTaskExecutor create(String name, Queue queue) {
        try {
            return configure(builder, new QueueSettings(name, queue, defaults)).build(name);
        }
        catch (InvalidWorkqueueSettingException ex) {
            // The properties passed validation, so a customizer set this value (or a rule is new).
            throw new InvalidWorkqueueConfigurationException("lazy-workqueue.queues." + name, ex.getValue(),
                    String.valueOf(ex.getMessage()), "Correct the "
                            + LazyWorkqueueBuilderCustomizer.class.getSimpleName() + " that sets " + ex.getSetting()
                            + " for queue '" + name + "'.");
        }
    }

    /** @return the builder with every setting the queue or the defaults give */
    static LazyWorkqueueTaskExecutorBuilder configure(LazyWorkqueueTaskExecutorBuilder builder,
            QueueSettings settings) {
        LazyWorkqueueTaskExecutorBuilder configured = builder;
        configured = with(configured, settings.cpus(), LazyWorkqueueTaskExecutorBuilder::cpus);
        configured = with(configured, settings.coreCpu(), LazyWorkqueueTaskExecutorBuilder::coreCpu);
        configured = with(configured, settings.idleTimeout(), LazyWorkqueueTaskExecutorBuilder::idleTimeout);
        configured = with(configured, settings.maxActive(), LazyWorkqueueTaskExecutorBuilder::maxActive);
        configured = with(configured, settings.affinity(), LazyWorkqueueTaskExecutorBuilder::affinity);
        configured = with(configured, settings.cpuSelection(), LazyWorkqueueTaskExecutorBuilder::cpuSelection);
        configured = with(configured, settings.queueCapacity(), LazyWorkqueueTaskExecutorBuilder::queueCapacity);
        configured = with(configured, settings.rejection(), LazyWorkqueueTaskExecutorBuilder::rejection);
        configured = with(configured, settings.threadNamePrefix(),
                LazyWorkqueueTaskExecutorBuilder::threadNamePrefix);
        configured = with(configured, settings.watchdogThreshold(),
                LazyWorkqueueTaskExecutorBuilder::watchdogThreshold);
        configured = with(configured, settings.concurrencyThreshold(),
                LazyWorkqueueTaskExecutorBuilder::concurrencyThreshold);
        configured = with(configured, settings.dedicated(), LazyWorkqueueTaskExecutorBuilder::dedicated);
        configured = with(configured, settings.awaitTerminationPeriod(),
                LazyWorkqueueTaskExecutorBuilder::awaitTerminationPeriod);
        return with(configured, settings.acceptTasksAfterContextClose(),
                LazyWorkqueueTaskExecutorBuilder::acceptTasksAfterContextClose);
    }

    private static <T> LazyWorkqueueTaskExecutorBuilder with(LazyWorkqueueTaskExecutorBuilder builder,
            Setting<T> setting, BiFunction<LazyWorkqueueTaskExecutorBuilder, T, LazyWorkqueueTaskExecutorBuilder> set) {
        T value = setting.value();
        return value != null ? set.apply(builder, value) : builder;
    }
}
