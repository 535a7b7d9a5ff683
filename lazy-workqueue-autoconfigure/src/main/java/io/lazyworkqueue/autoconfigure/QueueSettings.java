package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.function.Function;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.RejectionPolicy;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueProperties.Queue;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one queue: its own where it sets them, else those under
 * {@code lazy-workqueue.defaults}, each with the key it came from.
 */
final class QueueSettings {

    static final String DEFAULTS = "lazy-workqueue.defaults.";

    private final String name;

    private final Queue queue;

    private final Queue defaults;

    QueueSettings(String name, Queue queue, Queue defaults) {
        this.name = name;
        this.queue = queue;
        this.defaults = defaults;
    }

    /** @return the settings of a queue that sets none of its own: the defaults */
    static QueueSettings defaultsOnly(Queue defaults) {
        return new QueueSettings("", new Queue(), defaults);
    }

    static String prefix(String name) {
        return "lazy-workqueue.queues." + name + ".";
    }

    String name() {
        return name;
    }

    /** @return the key of a setting of this queue, such as lazy-workqueue.queues.io.affinity */
    String key(String setting) {
        return prefix(name) + setting;
    }

    Setting<CpuSet> cpus() {
        return setting("cpus", Queue::getCpus);
    }

    Setting<Integer> coreCpu() {
        return setting("core-cpu", Queue::getCoreCpu);
    }

    Setting<Duration> idleTimeout() {
        return setting("idle-timeout", Queue::getIdleTimeout);
    }

    Setting<Integer> maxActive() {
        return setting("max-active", Queue::getMaxActive);
    }

    Setting<AffinityMode> affinity() {
        return setting("affinity", Queue::getAffinity);
    }

    Setting<CpuSelection> cpuSelection() {
        return setting("cpu-selection", Queue::getCpuSelection);
    }

    Setting<Integer> queueCapacity() {
        return setting("queue-capacity", Queue::getQueueCapacity);
    }

    Setting<RejectionPolicy> rejection() {
        return setting("rejection", Queue::getRejection);
    }

    Setting<String> threadNamePrefix() {
        return setting("thread-name-prefix", Queue::getThreadNamePrefix);
    }

    Setting<Duration> watchdogThreshold() {
        return setting("watchdog-threshold", Queue::getWatchdogThreshold);
    }

    Setting<Duration> concurrencyThreshold() {
        return setting("concurrency-threshold", Queue::getConcurrencyThreshold);
    }

    Setting<Boolean> dedicated() {
        return setting("dedicated", Queue::getDedicated);
    }

    Setting<Duration> awaitTerminationPeriod() {
        return setting("shutdown.await-termination-period", q -> q.getShutdown().getAwaitTerminationPeriod());
    }

    Setting<Boolean> acceptTasksAfterContextClose() {
        return setting("shutdown.accept-tasks-after-context-close",
                q -> q.getShutdown().getAcceptTasksAfterContextClose());
    }

    private <T> Setting<T> setting(String setting, Function<Queue, @Nullable T> value) {
        T own = value.apply(queue);
        if (own != null) {
            return new Setting<>(key(setting), own);
        }
        T inherited = value.apply(defaults);
        return inherited != null ? new Setting<>(DEFAULTS + setting, inherited) : new Setting<>(null, null);
    }
}
