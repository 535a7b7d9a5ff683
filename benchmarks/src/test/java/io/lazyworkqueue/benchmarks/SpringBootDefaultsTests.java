package io.lazyworkqueue.benchmarks;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class SpringBootDefaultsTests {

    private final ApplicationContextRunner boot = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class));

    @Test
    void buildsTheExecutorBootsAutoConfigurationBuildsForAnApplicationWithoutOne() {
        boot.run(context -> {
            ThreadPoolTaskExecutor applications = context.getBean(
                    TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME, ThreadPoolTaskExecutor.class);
            ThreadPoolTaskExecutor ours = SpringBootDefaults.taskExecutor();
            try {
                assertThat(Pool.of(ours)).isEqualTo(Pool.of(applications));
                assertThat(ours.getKeepAliveSeconds()).isEqualTo(applications.getKeepAliveSeconds());
            }
            finally {
                ours.shutdown();
            }
        });
    }

    @Test
    void changesOnlyTheKeepAliveWhenGivenOneAndCountsItInWholeSecondsOfAtLeastOne() {
        ThreadPoolTaskExecutor defaults = SpringBootDefaults.taskExecutor();
        ThreadPoolTaskExecutor oneSecond = SpringBootDefaults.taskExecutor(Duration.ofSeconds(1));
        ThreadPoolTaskExecutor underASecond = SpringBootDefaults.taskExecutor(Duration.ofMillis(200));
        try {
            assertThat(oneSecond.getKeepAliveSeconds()).isEqualTo(1);
            assertThat(underASecond.getKeepAliveSeconds()).isEqualTo(1);
            assertThat(Pool.of(oneSecond)).isEqualTo(Pool.of(defaults));
        }
        finally {
            defaults.shutdown();
            oneSecond.shutdown();
            underASecond.shutdown();
        }
    }

    @Test
    void buildsTheSchedulerBootsAutoConfigurationBuildsForAnApplicationThatEnablesScheduling() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
                .withUserConfiguration(Scheduling.class).run(context -> {
                    ThreadPoolTaskScheduler applications = context.getBean(ThreadPoolTaskScheduler.class);
                    ThreadPoolTaskScheduler ours = SpringBootDefaults.taskScheduler();
                    try {
                        assertThat(SchedulerPool.of(ours)).isEqualTo(SchedulerPool.of(applications))
                                .isEqualTo(new SchedulerPool(1, "scheduling-", false));
                    }
                    finally {
                        ours.shutdown();
                    }
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {
    }

    /** What shapes a scheduler's threads. */
    private record SchedulerPool(int size, String threadNamePrefix, boolean daemon) {

        static SchedulerPool of(ThreadPoolTaskScheduler scheduler) {
            return new SchedulerPool(scheduler.getScheduledThreadPoolExecutor().getCorePoolSize(),
                    scheduler.getThreadNamePrefix(), scheduler.isDaemon());
        }
    }

    /** What shapes a pool's threads and queue, but for the keep-alive. */
    private record Pool(int coreSize, int maxSize, int queueCapacity, boolean coreThreadsTimeOut,
            String threadNamePrefix, boolean daemon) {

        static Pool of(ThreadPoolTaskExecutor executor) {
            return new Pool(executor.getCorePoolSize(), executor.getMaxPoolSize(), executor.getQueueCapacity(),
                    executor.getThreadPoolExecutor().allowsCoreThreadTimeOut(), executor.getThreadNamePrefix(),
                    executor.isDaemon());
        }
    }
}
