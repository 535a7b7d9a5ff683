package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.RejectionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of lazy workqueues. Unknown keys under {@code lazy-workqueue} fail start-up, and
 * every invalid setting is reported at once.
 */
@ConfigurationProperties(prefix = "lazy-workqueue", ignoreUnknownFields = false)
public class LazyWorkqueueProperties implements Validator {

    /**
     * Workqueues by name. Each becomes a TaskExecutor bean of that name, for @Async("name") and
     * @Qualifier("name") injection.
     */
    private final Map<String, Queue> queues = new LinkedHashMap<>();

    /**
     * Settings for every queue that does not set them itself.
     */
    private final Queue defaults = new Queue();

    /**
     * Name of the queue that runs @Async methods that name no executor. When unset, they run on
     * Spring Boot's applicationTaskExecutor as usual.
     */
    private @Nullable String defaultQueue;

    private final Metrics metrics = new Metrics();

    public Map<String, Queue> getQueues() {
        return queues;
    }

    public Queue getDefaults() {
        return defaults;
    }

    public @Nullable String getDefaultQueue() {
        return defaultQueue;
    }

    public void setDefaultQueue(@Nullable String defaultQueue) {
        this.defaultQueue = defaultQueue;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * Supports these properties only: Spring Boot validates them after binding.
     * @param type the class to validate
     * @return whether it is this class
     */
    @Override
    public boolean supports(Class<?> type) {
        return LazyWorkqueueProperties.class.isAssignableFrom(type);
    }

    /**
     * Rejects every invalid setting, each under its full property key.
     * @param target these properties
     * @param errors where the invalid settings go
     */
    @Override
    public void validate(Object target, Errors errors) {
        new PropertiesValidation((LazyWorkqueueProperties) target).rejectInvalid(errors);
    }

    /** Micrometer meters of the workqueues. */
    public static class Metrics {

        /**
         * Whether per-CPU meters carry a 'cpu' tag. Without it they add up over each queue's CPUs,
         * which keeps the number of series small on machines with many CPUs.
         */
        private boolean cpuTag = true;

        public boolean isCpuTag() {
            return cpuTag;
        }

        public void setCpuTag(boolean cpuTag) {
            this.cpuTag = cpuTag;
        }
    }

    /**
     * One workqueue, or the defaults of all of them. An unset setting takes the value under
     * lazy-workqueue.defaults, and then the engine's default.
     */
    public static class Queue {

        /**
         * CPUs that get a queue and, when work arrives, a worker thread, as a Linux cpulist such as
         * 0-3,8. By default every CPU the process may use (its affinity mask, so taskset and
         * container cpusets count).
         */
        private @Nullable CpuSet cpus;

        /**
         * CPU of the queue's ordered work, where cpu-selection is ordered. Must be one of the
         * queue's CPUs. By default the first of them.
         */
        private @Nullable Integer coreCpu;

        /**
         * How long a worker thread waits for work before it exits. Must be positive.
         */
        private @Nullable Duration idleTimeout;

        /**
         * Most tasks of the queue that run on one CPU at once, at least 1: 16 by default, and 1,
         * the only value allowed, for an ordered queue. A CPU's workers are shared with other
         * queues, so this bounds the queue's share of them, not the threads.
         */
        private @Nullable Integer maxActive;

        /**
         * Whether worker threads are pinned to their CPUs (strict) or not (none).
         */
        private @Nullable AffinityMode affinity;

        /**
         * How a task that names no CPU is given one: the CPU the submitting thread runs on (local),
         * the queue's CPUs in turn (round-robin), or the core CPU's single worker in submission
         * order (ordered).
         */
        private @Nullable CpuSelection cpuSelection;

        /**
         * Tasks each CPU's queue holds, at least 1. Unbounded when unset.
         */
        private @Nullable Integer queueCapacity;

        /**
         * What a submitter meets when a CPU's queue is full: a TaskRejectedException (abort), the
         * submitting thread runs the task (caller-runs), or it waits for room (block).
         */
        private @Nullable RejectionPolicy rejection;

        /**
         * Start of the queue's thread names: a worker is named <prefix><cpu>:<n> after the queue
         * whose task it runs. By default the queue's name and a slash.
         */
        private @Nullable String threadNamePrefix;

        /**
         * How long work may wait in a CPU's queue while none of that CPU's tasks finishes before
         * the CPU counts as stalled: a warning is logged and the workqueues health turns DOWN. 0
         * turns the watchdog off.
         */
        private @Nullable Duration watchdogThreshold;

        /**
         * How long a worker may run one task before its pool counts it as stuck and may start
         * another worker for the work waiting behind it; a worker blocked in a task counts as
         * stuck at once. Must be positive.
         */
        private @Nullable Duration concurrencyThreshold;

        /**
         * Whether the queue gets worker pools of its own. By default queues with the same
         * affinity, idle-timeout and concurrency-threshold (and thread factory and clock, which only
         * a customizer sets) share one pool of workers per CPU.
         */
        private @Nullable Boolean dedicated;

        private final Shutdown shutdown = new Shutdown();

        public @Nullable CpuSet getCpus() {
            return cpus;
        }

        public void setCpus(@Nullable CpuSet cpus) {
            this.cpus = cpus;
        }

        public @Nullable Integer getCoreCpu() {
            return coreCpu;
        }

        public void setCoreCpu(@Nullable Integer coreCpu) {
            this.coreCpu = coreCpu;
        }

        public @Nullable Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(@Nullable Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public @Nullable Integer getMaxActive() {
            return maxActive;
        }

        public void setMaxActive(@Nullable Integer maxActive) {
            this.maxActive = maxActive;
        }

        public @Nullable AffinityMode getAffinity() {
            return affinity;
        }

        public void setAffinity(@Nullable AffinityMode affinity) {
            this.affinity = affinity;
        }

        public @Nullable CpuSelection getCpuSelection() {
            return cpuSelection;
        }

        public void setCpuSelection(@Nullable CpuSelection cpuSelection) {
            this.cpuSelection = cpuSelection;
        }

        public @Nullable Integer getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(@Nullable Integer queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public @Nullable RejectionPolicy getRejection() {
            return rejection;
        }

        public void setRejection(@Nullable RejectionPolicy rejection) {
            this.rejection = rejection;
        }

        public @Nullable String getThreadNamePrefix() {
            return threadNamePrefix;
        }

        public void setThreadNamePrefix(@Nullable String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
        }

        public @Nullable Duration getWatchdogThreshold() {
            return watchdogThreshold;
        }

        public void setWatchdogThreshold(@Nullable Duration watchdogThreshold) {
            this.watchdogThreshold = watchdogThreshold;
        }

        public @Nullable Duration getConcurrencyThreshold() {
            return concurrencyThreshold;
        }

        public void setConcurrencyThreshold(@Nullable Duration concurrencyThreshold) {
            this.concurrencyThreshold = concurrencyThreshold;
        }

        public @Nullable Boolean getDedicated() {
            return dedicated;
        }

        public void setDedicated(@Nullable Boolean dedicated) {
            this.dedicated = dedicated;
        }

        public Shutdown getShutdown() {
            return shutdown;
        }
    }

    /** What happens to a queue's work when the application context closes. */
    public static class Shutdown {

        /**
         * How long queued and running work may take once the application context closes; then
         * running tasks are interrupted and queued ones dropped, with a warning that counts them.
         * Zero or positive.
         */
        private @Nullable Duration awaitTerminationPeriod;

        /**
         * Whether the queue keeps taking tasks after the application context starts closing, so
         * that other beans may submit work from their own stop and destroy callbacks. By default
         * it stops taking tasks as soon as the context closes.
         */
        private @Nullable Boolean acceptTasksAfterContextClose;

        public @Nullable Duration getAwaitTerminationPeriod() {
            return awaitTerminationPeriod;
        }

        public void setAwaitTerminationPeriod(@Nullable Duration awaitTerminationPeriod) {
            this.awaitTerminationPeriod = awaitTerminationPeriod;
        }

        public @Nullable Boolean getAcceptTasksAfterContextClose() {
            return acceptTasksAfterContextClose;
        }

        public void setAcceptTasksAfterContextClose(@Nullable Boolean acceptTasksAfterContextClose) {
            this.acceptTasksAfterContextClose = acceptTasksAfterContextClose;
        }
    }
}
