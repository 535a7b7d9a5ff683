package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.RejectionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of lazy workqueues.
 */
@ConfigurationProperties("lazy-workqueue")
public class LazyWorkqueueProperties {

    /**
     * Workqueues by name. Each becomes a TaskExecutor bean of that name, for @Async("name") and
     * @Qualifier("name") injection.
     */
    private final Map<String, Queue> queues = new LinkedHashMap<>();

    /**
     * Name of the queue that runs @Async methods that name no executor. When unset, they run on
     * Spring Boot's applicationTaskExecutor as usual.
     */
    private @Nullable String defaultQueue;

    private final Metrics metrics = new Metrics();

    public Map<String, Queue> getQueues() {
        return queues;
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

    /** One workqueue. */
    public static class Queue {

        /**
         * CPUs that get a queue and, when work arrives, a worker thread, as a Linux cpulist such as
         * 0-3,8. By default every CPU the process may use (its affinity mask, so taskset and
         * container cpusets count).
         */
        private @Nullable String cpus;

        /**
         * CPU of the queue's core thread, which creates workers and runs work that no worker could
         * take. Must be one of the queue's CPUs. By default the first of them.
         */
        private @Nullable Integer coreCpu;

        /**
         * How long a worker thread waits for work before it exits.
         */
        private Duration idleTimeout = Duration.ofSeconds(10);

        /**
         * Most worker threads one CPU may have at once. More than one suits tasks that block: a CPU
         * gains a worker only while work waits and all of its workers are busy.
         */
        private int maxActive = 1;

        /**
         * Whether worker threads are pinned to their CPUs (strict) or not (none).
         */
        private AffinityMode affinity = AffinityMode.STRICT;

        /**
         * How a task that names no CPU is given one: the CPU the submitting thread runs on (local),
         * the queue's CPUs in turn (round-robin), or the core CPU's single worker in submission
         * order (ordered).
         */
        private CpuSelection cpuSelection = CpuSelection.LOCAL;

        /**
         * Tasks each CPU's queue holds: a positive number, or 'unbounded'.
         */
        private String queueCapacity = "unbounded";

        /**
         * What a submitter meets when a CPU's queue is full: a TaskRejectedException (abort), the
         * submitting thread runs the task (caller-runs), or it waits for room (block).
         */
        private RejectionPolicy rejection = RejectionPolicy.ABORT;

        /**
         * Start of the queue's thread names: workers are named <prefix><cpu>:<n>, the core thread
         * <prefix>core. By default the queue's name and a slash.
         */
        private @Nullable String threadNamePrefix;

        /**
         * How long work may wait in a CPU's queue while none of that CPU's tasks finishes before
         * the CPU counts as stalled: a warning is logged and the workqueues health turns DOWN. 0
         * turns the watchdog off.
         */
        private Duration watchdogThreshold = Duration.ofSeconds(30);

        private final Shutdown shutdown = new Shutdown();

        public @Nullable String getCpus() {
            return cpus;
        }

        public void setCpus(@Nullable String cpus) {
            this.cpus = cpus;
        }

        public @Nullable Integer getCoreCpu() {
            return coreCpu;
        }

        public void setCoreCpu(@Nullable Integer coreCpu) {
            this.coreCpu = coreCpu;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public int getMaxActive() {
            return maxActive;
        }

        public void setMaxActive(int maxActive) {
            this.maxActive = maxActive;
        }

        public AffinityMode getAffinity() {
            return affinity;
        }

        public void setAffinity(AffinityMode affinity) {
            this.affinity = affinity;
        }

        public CpuSelection getCpuSelection() {
            return cpuSelection;
        }

        public void setCpuSelection(CpuSelection cpuSelection) {
            this.cpuSelection = cpuSelection;
        }

        public String getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(String queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public RejectionPolicy getRejection() {
            return rejection;
        }

        public void setRejection(RejectionPolicy rejection) {
            this.rejection = rejection;
        }

        public @Nullable String getThreadNamePrefix() {
            return threadNamePrefix;
        }

        public void setThreadNamePrefix(@Nullable String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
        }

        public Duration getWatchdogThreshold() {
            return watchdogThreshold;
        }

        public void setWatchdogThreshold(Duration watchdogThreshold) {
            this.watchdogThreshold = watchdogThreshold;
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
         */
        private Duration awaitTerminationPeriod = Duration.ofSeconds(30);

        /**
         * Whether the queue keeps taking tasks after the application context starts closing, so
         * that other beans may submit work from their own stop and destroy callbacks. By default
         * it stops taking tasks as soon as the context closes.
         */
        private boolean acceptTasksAfterContextClose;

        public Duration getAwaitTerminationPeriod() {
            return awaitTerminationPeriod;
        }

        public void setAwaitTerminationPeriod(Duration awaitTerminationPeriod) {
            this.awaitTerminationPeriod = awaitTerminationPeriod;
        }

        public boolean isAcceptTasksAfterContextClose() {
            return acceptTasksAfterContextClose;
        }

        public void setAcceptTasksAfterContextClose(boolean acceptTasksAfterContextClose) {
            this.acceptTasksAfterContextClose = acceptTasksAfterContextClose;
        }
    }
}
