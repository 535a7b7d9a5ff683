package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.InvalidWorkqueueSettingException;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueProperties.Queue;
import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

/**
 * Builds the executor of a configured queue, and turns an invalid setting into an error that
 * names the property behind it.
 */
final class LazyWorkqueueFactory {

    private static final String UNBOUNDED = "unbounded";

    private final List<LazyWorkqueueBuilderCustomizer> customizers;

    private final @Nullable TaskDecorator taskDecorator;

    LazyWorkqueueFactory(List<LazyWorkqueueBuilderCustomizer> customizers, @Nullable TaskDecorator taskDecorator) {
        this.customizers = customizers;
        this.taskDecorator = taskDecorator;
    }

    LazyWorkqueueTaskExecutor create(String name, Queue queue) {
        Duration awaitTerminationPeriod = queue.getShutdown().getAwaitTerminationPeriod();
        if (awaitTerminationPeriod.isNegative()) {
            throw new InvalidWorkqueueConfigurationException(property(name, "shutdown.await-termination-period"),
                    awaitTerminationPeriod.toString(), "the period must not be negative",
                    "Set " + property(name, "shutdown.await-termination-period")
                            + " to zero or a positive duration, such as 30s.");
        }
        return new LazyWorkqueueTaskExecutor(build(name, queue), taskDecorator, awaitTerminationPeriod,
                queue.getShutdown().isAcceptTasksAfterContextClose());
    }

    private LazyWorkqueue build(String name, Queue queue) {
        try {
            LazyWorkqueue.Builder builder = LazyWorkqueue.builder(name)
                .idleTimeout(queue.getIdleTimeout())
                .maxActive(queue.getMaxActive())
                .affinity(queue.getAffinity())
                .cpuSelection(queue.getCpuSelection())
                .queueCapacity(queueCapacity(name, queue.getQueueCapacity()))
                .rejection(queue.getRejection())
                .watchdogThreshold(queue.getWatchdogThreshold());
            if (queue.getCpus() != null) {
                builder.cpus(queue.getCpus());
            }
            if (queue.getCoreCpu() != null) {
                builder.coreCpu(queue.getCoreCpu());
            }
            if (queue.getThreadNamePrefix() != null) {
                builder.threadNamePrefix(queue.getThreadNamePrefix());
            }
            customizers.forEach(customizer -> customizer.customize(name, builder));
            return builder.build();
        }
        catch (InvalidWorkqueueSettingException ex) {
            throw invalid(name, queue, ex);
        }
    }

    private static int queueCapacity(String name, String value) {
        if (UNBOUNDED.equalsIgnoreCase(value.trim())) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(value.trim());
        }
        catch (NumberFormatException ex) {
            throw new InvalidWorkqueueConfigurationException(property(name, "queue-capacity"), value,
                    "it is neither a number nor 'unbounded'", capacityAction(name));
        }
    }

    private static InvalidWorkqueueConfigurationException invalid(String name, Queue queue,
            InvalidWorkqueueSettingException ex) {
        String reason = String.valueOf(ex.getMessage());
        return switch (ex.getSetting()) {
            case "cpus" -> new InvalidWorkqueueConfigurationException(property(name, "cpus"), ex.getValue(), reason,
                    ex.getCause() != null
                            ? "Write " + property(name, "cpus") + " as a Linux cpulist such as 0-3,8, or remove it to"
                                    + " use every CPU the process may use (" + CpuSet.allowed() + ")."
                            : "Use CPUs from " + CpuSet.allowed() + " in " + property(name, "cpus") + ", or set "
                                    + property(name, "affinity") + " to none to run unpinned queues for CPU ids the"
                                    + " machine lacks.");
            case "coreCpu" -> new InvalidWorkqueueConfigurationException(property(name, "core-cpu"), ex.getValue(),
                    reason, "Set " + property(name, "core-cpu") + " to one of the queue's CPUs, or remove it to use"
                            + " the first of them.");
            case "idleTimeout" -> new InvalidWorkqueueConfigurationException(property(name, "idle-timeout"),
                    ex.getValue(), reason,
                    "Set " + property(name, "idle-timeout") + " to a positive duration, such as 10s.");
            case "maxActive" -> new InvalidWorkqueueConfigurationException(property(name, "max-active"),
                    ex.getValue(), reason, queue.getCpuSelection() == CpuSelection.ORDERED && queue.getMaxActive() > 1
                            ? "Set " + property(name, "max-active") + " to 1, or set " + property(name, "cpu-selection")
                                    + " to local or round-robin."
                            : "Set " + property(name, "max-active") + " to 1 or more.");
            case "queueCapacity" -> new InvalidWorkqueueConfigurationException(property(name, "queue-capacity"),
                    ex.getValue(), reason, capacityAction(name));
            case "watchdogThreshold" -> new InvalidWorkqueueConfigurationException(
                    property(name, "watchdog-threshold"), ex.getValue(), reason, "Set "
                            + property(name, "watchdog-threshold") + " to a positive duration such as 30s, or to 0 to"
                            + " turn the watchdog off.");
            case "threadNamePrefix" -> new InvalidWorkqueueConfigurationException(
                    property(name, "thread-name-prefix"), ex.getValue(), reason, "Set "
                            + property(name, "thread-name-prefix") + " to a prefix that is not blank and holds no"
                            + " control characters, or remove it to use '" + name + "/'.");
            default -> new InvalidWorkqueueConfigurationException(ex.getSetting() + " (set by a "
                    + LazyWorkqueueBuilderCustomizer.class.getSimpleName() + " for queue '" + name + "')",
                    ex.getValue(), reason, "Correct the " + LazyWorkqueueBuilderCustomizer.class.getSimpleName()
                            + " that sets " + ex.getSetting() + ".");
        };
    }

    private static String capacityAction(String name) {
        return "Set " + property(name, "queue-capacity") + " to a positive number, or to unbounded.";
    }

    private static String property(String name, String key) {
        return "lazy-workqueue.queues." + name + "." + key;
    }
}
