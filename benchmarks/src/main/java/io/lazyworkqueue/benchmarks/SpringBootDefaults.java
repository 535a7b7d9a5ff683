package io.lazyworkqueue.benchmarks;

import java.time.Duration;

import org.springframework.boot.autoconfigure.task.TaskExecutionProperties;
import org.springframework.boot.autoconfigure.task.TaskSchedulingProperties;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The {@link ThreadPoolTaskExecutor} a Spring Boot application gets when it declares no executor
 * of its own, and the {@link ThreadPoolTaskScheduler} it gets when it enables scheduling and
 * declares no scheduler, so that the comparison is against what applications actually run. They
 * are built as Boot's auto-configuration builds them: Boot's {@link ThreadPoolTaskExecutorBuilder}
 * and {@link ThreadPoolTaskSchedulerBuilder} fed with the defaults of
 * {@link TaskExecutionProperties} ({@code spring.task.execution.*}) and
 * {@link TaskSchedulingProperties} ({@code spring.task.scheduling.*}), so they follow Boot when a
 * Boot release changes them.
 */
final class SpringBootDefaults {

    private SpringBootDefaults() {
    }

    /** @return an initialized executor with Boot's default settings */
    static ThreadPoolTaskExecutor taskExecutor() {
        return initialized(builder());
    }

    /**
     * @param keepAlive how long an idle thread lives instead of Boot's 60 s; Boot counts it in
     * whole seconds, so anything shorter than a second counts as one
     * @return an initialized executor with Boot's default settings but the keep-alive
     */
    static ThreadPoolTaskExecutor taskExecutor(Duration keepAlive) {
        return initialized(builder().keepAlive(Duration.ofSeconds(Math.max(1, keepAlive.toSeconds()))));
    }

    /**
     * @return an initialized scheduler with Boot's default settings (a pool of one thread), as
     * Boot's {@code TaskSchedulingConfigurations} builds it and the bean's initialization starts it
     */
    static ThreadPoolTaskScheduler taskScheduler() {
        TaskSchedulingProperties properties = new TaskSchedulingProperties();
        TaskSchedulingProperties.Shutdown shutdown = properties.getShutdown();
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskSchedulerBuilder()
                .poolSize(properties.getPool().getSize())
                .awaitTermination(shutdown.isAwaitTermination())
                .awaitTerminationPeriod(shutdown.getAwaitTerminationPeriod())
                .threadNamePrefix(properties.getThreadNamePrefix())
                .build();
        scheduler.initialize();
        return scheduler;
    }

    /** The same mapping from properties to builder as Boot's {@code TaskExecutorConfigurations}. */
    private static ThreadPoolTaskExecutorBuilder builder() {
        TaskExecutionProperties properties = new TaskExecutionProperties();
        TaskExecutionProperties.Pool pool = properties.getPool();
        TaskExecutionProperties.Shutdown shutdown = properties.getShutdown();
        return new ThreadPoolTaskExecutorBuilder()
                .queueCapacity(pool.getQueueCapacity())
                .corePoolSize(pool.getCoreSize())
                .maxPoolSize(pool.getMaxSize())
                .allowCoreThreadTimeOut(pool.isAllowCoreThreadTimeout())
                .keepAlive(pool.getKeepAlive())
                .acceptTasksAfterContextClose(pool.getShutdown().isAcceptTasksAfterContextClose())
                .awaitTermination(shutdown.isAwaitTermination())
                .awaitTerminationPeriod(shutdown.getAwaitTerminationPeriod())
                .threadNamePrefix(properties.getThreadNamePrefix());
    }

    private static ThreadPoolTaskExecutor initialized(ThreadPoolTaskExecutorBuilder builder) {
        ThreadPoolTaskExecutor executor = builder.build();
        executor.initialize();
        return executor;
    }
}
