package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.lazyworkqueue.InvalidWorkqueueSettingException;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueProperties.Queue;
import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

/**
 * Builds the executor of a configured queue from its settings and, where it sets none, from
 * {@code lazy-workqueue.defaults}; a setting neither gives keeps the engine's default.
 */
final class LazyWorkqueueFactory {

    private final List<LazyWorkqueueBuilderCustomizer> customizers;

    private final @Nullable TaskDecorator taskDecorator;

    private final Queue defaults;

    LazyWorkqueueFactory(List<LazyWorkqueueBuilderCustomizer> customizers, @Nullable TaskDecorator taskDecorator,
            Queue defaults) {
        this.customizers = customizers;
        this.taskDecorator = taskDecorator;
        this.defaults = defaults;
    }

    LazyWorkqueueTaskExecutor create(String name, Queue queue) {
        QueueSettings settings = new QueueSettings(name, queue, defaults);
        Duration awaitTerminationPeriod = settings.awaitTerminationPeriod()
            .orElse(QueueSettings.DEFAULT_AWAIT_TERMINATION_PERIOD);
        return new LazyWorkqueueTaskExecutor(build(name, settings), taskDecorator, awaitTerminationPeriod,
                settings.acceptTasksAfterContextClose().orElse(false));
    }

    private LazyWorkqueue build(String name, QueueSettings settings) {
        try {
            LazyWorkqueue.Builder builder = LazyWorkqueue.builder(name);
            settings.cpus().ifSet(builder::cpus);
            settings.coreCpu().ifSet(builder::coreCpu);
            settings.idleTimeout().ifSet(builder::idleTimeout);
            settings.maxActive().ifSet(builder::maxActive);
            settings.affinity().ifSet(builder::affinity);
            settings.cpuSelection().ifSet(builder::cpuSelection);
            settings.queueCapacity().ifSet(builder::queueCapacity);
            settings.rejection().ifSet(builder::rejection);
            settings.threadNamePrefix().ifSet(builder::threadNamePrefix);
            settings.watchdogThreshold().ifSet(builder::watchdogThreshold);
            customizers.forEach(customizer -> customizer.customize(name, builder));
            return builder.build();
        }
        catch (InvalidWorkqueueSettingException ex) {
            // The properties passed validation, so a customizer set this value (or a rule is new).
            throw new InvalidWorkqueueConfigurationException("lazy-workqueue.queues." + name, ex.getValue(),
                    String.valueOf(ex.getMessage()), "Correct the "
                            + LazyWorkqueueBuilderCustomizer.class.getSimpleName() + " that sets " + ex.getSetting()
                            + " for queue '" + name + "'.");
        }
    }
}
