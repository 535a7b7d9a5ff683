package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.InvalidWorkqueueSettingException;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.RejectionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

/**
 * Builds {@link LazyWorkqueueTaskExecutor}s, as Spring Boot's {@code ThreadPoolTaskExecutorBuilder}
 * builds thread pools. The builder is immutable: each method returns a new builder and leaves this
 * one as it was, so one builder can be the start of many queues.
 *
 * <p>The auto-configured builder bean carries the application's {@link LazyWorkqueueBuilderCustomizer}s
 * and task decorators, so that queues built from it behave like the configured ones. Settings left
 * unset keep the workqueue's defaults; a queue's threads are named {@code <name>/} unless
 * {@link #threadNamePrefix(String)} says otherwise.
 */
public final class LazyWorkqueueTaskExecutorBuilder {

    /** The await period of a configured queue that does not set one. */
    private static final Duration DEFAULT_AWAIT_TERMINATION_PERIOD = Duration.ofSeconds(30);

    /** Engine settings by name, applied in the order they were first set. */
    private final Map<String, Consumer<LazyWorkqueue.Builder>> settings;

    private final List<LazyWorkqueueBuilderCustomizer> customizers;

    private final @Nullable TaskDecorator taskDecorator;

    private final boolean awaitTermination;

    private final Duration awaitTerminationPeriod;

    private final boolean acceptTasksAfterContextClose;

    /** A builder with the defaults of a configured queue, and no customizer or task decorator. */
    public LazyWorkqueueTaskExecutorBuilder() {
        this(Map.of(), List.of(), null, true, DEFAULT_AWAIT_TERMINATION_PERIOD, false);
    }

    private LazyWorkqueueTaskExecutorBuilder(Map<String, Consumer<LazyWorkqueue.Builder>> settings,
            List<LazyWorkqueueBuilderCustomizer> customizers, @Nullable TaskDecorator taskDecorator,
            boolean awaitTermination, Duration awaitTerminationPeriod, boolean acceptTasksAfterContextClose) {
        this.settings = settings;
        this.customizers = customizers;
        this.taskDecorator = taskDecorator;
        this.awaitTermination = awaitTermination;
        this.awaitTerminationPeriod = awaitTerminationPeriod;
        this.acceptTasksAfterContextClose = acceptTasksAfterContextClose;
    }

    /**
     * @param cpulist the CPUs that get a queue, as a Linux cpulist such as {@code 0-3,8}
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#cpus(String)
     */
    public LazyWorkqueueTaskExecutorBuilder cpus(String cpulist) {
        Objects.requireNonNull(cpulist, "cpulist");
        return with("cpus", builder -> builder.cpus(cpulist));
    }

    /**
     * @param cpus the CPUs that get a queue
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#cpus(CpuSet)
     */
    public LazyWorkqueueTaskExecutorBuilder cpus(CpuSet cpus) {
        Objects.requireNonNull(cpus, "cpus");
        return with("cpus", builder -> builder.cpus(cpus));
    }

    /**
     * @param coreCpu the CPU of ordered work, one of the queue's CPUs
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#coreCpu(int)
     */
    public LazyWorkqueueTaskExecutorBuilder coreCpu(int coreCpu) {
        return with("coreCpu", builder -> builder.coreCpu(coreCpu));
    }

    /**
     * @param idleTimeout how long a worker waits for work before it exits
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#idleTimeout(Duration)
     */
    public LazyWorkqueueTaskExecutorBuilder idleTimeout(Duration idleTimeout) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        return with("idleTimeout", builder -> builder.idleTimeout(idleTimeout));
    }

    /**
     * @param maxActive the most tasks of the queue that run on one CPU at once
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#maxActive(int)
     */
    public LazyWorkqueueTaskExecutorBuilder maxActive(int maxActive) {
        return with("maxActive", builder -> builder.maxActive(maxActive));
    }

    /**
     * @param affinity whether workers are pinned to their CPUs
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#affinity(AffinityMode)
     */
    public LazyWorkqueueTaskExecutorBuilder affinity(AffinityMode affinity) {
        Objects.requireNonNull(affinity, "affinity");
        return with("affinity", builder -> builder.affinity(affinity));
    }

    /**
     * @param cpuSelection how a task that names no CPU is given one
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#cpuSelection(CpuSelection)
     */
    public LazyWorkqueueTaskExecutorBuilder cpuSelection(CpuSelection cpuSelection) {
        Objects.requireNonNull(cpuSelection, "cpuSelection");
        return with("cpuSelection", builder -> builder.cpuSelection(cpuSelection));
    }

    /**
     * @param queueCapacity the tasks each CPU's queue holds
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#queueCapacity(int)
     */
    public LazyWorkqueueTaskExecutorBuilder queueCapacity(int queueCapacity) {
        return with("queueCapacity", builder -> builder.queueCapacity(queueCapacity));
    }

    /**
     * @param rejection what a submitter meets when a CPU's queue is full
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#rejection(RejectionPolicy)
     */
    public LazyWorkqueueTaskExecutorBuilder rejection(RejectionPolicy rejection) {
        Objects.requireNonNull(rejection, "rejection");
        return with("rejection", builder -> builder.rejection(rejection));
    }

    /**
     * @param threadNamePrefix the start of the queue's thread names, for every queue built
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#threadNamePrefix(String)
     */
    public LazyWorkqueueTaskExecutorBuilder threadNamePrefix(String threadNamePrefix) {
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        return with("threadNamePrefix", builder -> builder.threadNamePrefix(threadNamePrefix));
    }

    /**
     * @param watchdogThreshold how long work may wait on a CPU that finishes nothing before the
     * CPU counts as stalled; zero turns the watchdog off
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#watchdogThreshold(Duration)
     */
    public LazyWorkqueueTaskExecutorBuilder watchdogThreshold(Duration watchdogThreshold) {
        Objects.requireNonNull(watchdogThreshold, "watchdogThreshold");
        return with("watchdogThreshold", builder -> builder.watchdogThreshold(watchdogThreshold));
    }

    /**
     * @param concurrencyThreshold how long a worker may run one task before its pool may start
     * another worker for the work waiting behind it
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#concurrencyThreshold(Duration)
     */
    public LazyWorkqueueTaskExecutorBuilder concurrencyThreshold(Duration concurrencyThreshold) {
        Objects.requireNonNull(concurrencyThreshold, "concurrencyThreshold");
        return with("concurrencyThreshold", builder -> builder.concurrencyThreshold(concurrencyThreshold));
    }

    /**
     * @param dedicated whether the queue gets worker pools of its own instead of sharing them with
     * queues of the same thread settings
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#dedicated(boolean)
     */
    public LazyWorkqueueTaskExecutorBuilder dedicated(boolean dedicated) {
        return with("dedicated", builder -> builder.dedicated(dedicated));
    }

    /**
     * @param eventHistory how many recent lifecycle events the workqueue keeps for snapshots
     * @return a new builder with this setting
     * @see LazyWorkqueue.Builder#eventHistory(int)
     */
    public LazyWorkqueueTaskExecutorBuilder eventHistory(int eventHistory) {
        return with("eventHistory", builder -> builder.eventHistory(eventHistory));
    }

    /**
     * @param taskDecorator applied to every task, or {@code null} for none
     * @return a new builder with this task decorator in place of the previous one
     */
    public LazyWorkqueueTaskExecutorBuilder taskDecorator(@Nullable TaskDecorator taskDecorator) {
        return new LazyWorkqueueTaskExecutorBuilder(settings, customizers, taskDecorator, awaitTermination,
                awaitTerminationPeriod, acceptTasksAfterContextClose);
    }

    /**
     * @param awaitTermination whether queued tasks still run once shutdown begins ({@code true},
     * the default) or are dropped at once
     * @return a new builder with this setting
     * @see LazyWorkqueueTaskExecutor#setWaitForTasksToCompleteOnShutdown(boolean)
     */
    public LazyWorkqueueTaskExecutorBuilder awaitTermination(boolean awaitTermination) {
        return new LazyWorkqueueTaskExecutorBuilder(settings, customizers, taskDecorator, awaitTermination,
                awaitTerminationPeriod, acceptTasksAfterContextClose);
    }

    /**
     * @param awaitTerminationPeriod how long queued and running work may take once shutdown
     * begins, before it is interrupted and dropped; 30 seconds by default
     * @return a new builder with this setting
     * @throws IllegalArgumentException if the period is negative
     */
    public LazyWorkqueueTaskExecutorBuilder awaitTerminationPeriod(Duration awaitTerminationPeriod) {
        Objects.requireNonNull(awaitTerminationPeriod, "awaitTerminationPeriod");
        if (awaitTerminationPeriod.isNegative()) {
            throw new IllegalArgumentException(
                    "The await termination period must not be negative, was " + awaitTerminationPeriod);
        }
        return new LazyWorkqueueTaskExecutorBuilder(settings, customizers, taskDecorator, awaitTermination,
                awaitTerminationPeriod, acceptTasksAfterContextClose);
    }

    /**
     * @param acceptTasksAfterContextClose whether the queue keeps taking tasks after the
     * application context starts closing; {@code false} by default
     * @return a new builder with this setting
     */
    public LazyWorkqueueTaskExecutorBuilder acceptTasksAfterContextClose(boolean acceptTasksAfterContextClose) {
        return new LazyWorkqueueTaskExecutorBuilder(settings, customizers, taskDecorator, awaitTermination,
                awaitTerminationPeriod, acceptTasksAfterContextClose);
    }

    /**
     * @param customizers the customizers, applied in this order after the builder's settings
     * @return a new builder with these customizers in place of any set before
     */
    public LazyWorkqueueTaskExecutorBuilder customizers(LazyWorkqueueBuilderCustomizer... customizers) {
        return customizers(Arrays.asList(customizers));
    }

    /**
     * @param customizers the customizers, applied in this order after the builder's settings
     * @return a new builder with these customizers in place of any set before
     */
    public LazyWorkqueueTaskExecutorBuilder customizers(Iterable<? extends LazyWorkqueueBuilderCustomizer> customizers) {
        return withCustomizers(List.of(), customizers);
    }

    /**
     * @param customizers customizers to apply after those already set
     * @return a new builder with these customizers added
     */
    public LazyWorkqueueTaskExecutorBuilder additionalCustomizers(LazyWorkqueueBuilderCustomizer... customizers) {
        return additionalCustomizers(Arrays.asList(customizers));
    }

    /**
     * @param customizers customizers to apply after those already set
     * @return a new builder with these customizers added
     */
    public LazyWorkqueueTaskExecutorBuilder additionalCustomizers(
            Iterable<? extends LazyWorkqueueBuilderCustomizer> customizers) {
        return withCustomizers(this.customizers, customizers);
    }

    /**
     * Builds a queue. When the executor is a bean, the application context starts and stops it;
     * otherwise call {@link LazyWorkqueueTaskExecutor#shutdown()} when done.
     * @param name the queue's name, which customizers see and its threads are named after
     * @return the executor of a new workqueue; no thread starts until its first task
     * @throws InvalidWorkqueueSettingException if a setting is invalid or contradicts another
     */
    public LazyWorkqueueTaskExecutor build(String name) {
        LazyWorkqueue.Builder builder = LazyWorkqueue.builder(name);
        settings.values().forEach(setting -> setting.accept(builder));
        customizers.forEach(customizer -> customizer.customize(name, builder));
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(builder.build(), taskDecorator,
                awaitTerminationPeriod, acceptTasksAfterContextClose);
        executor.setWaitForTasksToCompleteOnShutdown(awaitTermination);
        return executor;
    }

    private LazyWorkqueueTaskExecutorBuilder with(String setting, Consumer<LazyWorkqueue.Builder> apply) {
        Map<String, Consumer<LazyWorkqueue.Builder>> changed = new LinkedHashMap<>(settings);
        changed.put(setting, apply);
        return new LazyWorkqueueTaskExecutorBuilder(Collections.unmodifiableMap(changed), customizers, taskDecorator,
                awaitTermination, awaitTerminationPeriod, acceptTasksAfterContextClose);
    }

    private LazyWorkqueueTaskExecutorBuilder withCustomizers(List<LazyWorkqueueBuilderCustomizer> first,
            Iterable<? extends LazyWorkqueueBuilderCustomizer> then) {
        Objects.requireNonNull(then, "customizers");
        List<LazyWorkqueueBuilderCustomizer> all = new ArrayList<>(first);
        then.forEach(customizer -> all.add(Objects.requireNonNull(customizer, "customizer")));
        return new LazyWorkqueueTaskExecutorBuilder(settings, List.copyOf(all), taskDecorator, awaitTermination,
                awaitTerminationPeriod, acceptTasksAfterContextClose);
    }
}
