package io.lazyworkqueue.benchmarks;

import java.time.Duration;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The {@link ThreadPoolTaskExecutor} a Spring Boot application gets when it declares no executor
 * of its own (Boot 4.0 {@code spring.task.execution.pool.*} defaults), so that the comparison is
 * against what applications actually run.
 */
final class SpringBootDefaults {

    static final int CORE_SIZE = 8;

    static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

    private SpringBootDefaults() {
    }

    /**
     * @param threadNamePrefix the prefix of thread names; Boot's is {@code task-}
     * @param keepAlive how long an idle thread lives; Boot's is {@link #KEEP_ALIVE}
     * @return an initialized executor
     */
    static ThreadPoolTaskExecutor taskExecutor(String threadNamePrefix, Duration keepAlive) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(CORE_SIZE);
        executor.setMaxPoolSize(Integer.MAX_VALUE);
        executor.setQueueCapacity(Integer.MAX_VALUE);
        executor.setKeepAliveSeconds(Math.toIntExact(Math.max(1, keepAlive.toSeconds())));
        executor.setAllowCoreThreadTimeOut(true);
        executor.setThreadNamePrefix(threadNamePrefix);
        executor.setDaemon(true);
        executor.initialize();
        return executor;
    }
}
