package io.lazyworkqueue.benchmarks;

import java.time.Duration;

import org.springframework.boot.autoconfigure.task.TaskExecutionProperties;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The {@link ThreadPoolTaskExecutor} a Spring Boot application gets when it declares no executor
 * of its own, so that the comparison is against what applications actually run. It is built as
 * Boot's auto-configuration builds it: Boot's {@link ThreadPoolTaskExecutorBuilder} fed with the
 * defaults of {@link TaskExecutionProperties} ({@code spring.task.execution.*}), so it follows Boot
 * when a Boot release changes them.
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
