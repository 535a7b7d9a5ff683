package io.lazyworkqueue.autoconfigure;

import java.time.Duration;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.RejectionPolicy;
import io.lazyworkqueue.WorkqueueConfig;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueProperties.Queue;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings under lazy-workqueue.defaults apply to each queue that does not set them itself. */
class QueueDefaultsTests {

    private static final String[] EVERY_DEFAULT = { "lazy-workqueue.defaults.cpus=0-7",
            "lazy-workqueue.defaults.core-cpu=3", "lazy-workqueue.defaults.idle-timeout=250ms",
            "lazy-workqueue.defaults.max-active=4", "lazy-workqueue.defaults.affinity=none",
            "lazy-workqueue.defaults.cpu-selection=round-robin", "lazy-workqueue.defaults.queue-capacity=100",
            "lazy-workqueue.defaults.rejection=caller-runs", "lazy-workqueue.defaults.thread-name-prefix=blk-",
            "lazy-workqueue.defaults.watchdog-threshold=5s", "lazy-workqueue.defaults.concurrency-threshold=50ms",
            "lazy-workqueue.defaults.dedicated=true", "lazy-workqueue.defaults.shutdown.await-termination-period=2s" };

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class,
                    LazyWorkqueueAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

    @Test
    void aQueueInheritsEveryDefaultItDoesNotSet() {
        runner.withPropertyValues(EVERY_DEFAULT)
            .withPropertyValues("lazy-workqueue.queues.io.rejection=block")
            .run(context -> assertThat(configOf(context.getBean("io"))).isEqualTo(new WorkqueueConfig("io",
                    CpuSet.parse("0-7"), 3, Duration.ofMillis(250), 4, AffinityMode.NONE, CpuSelection.ROUND_ROBIN, 100,
                    RejectionPolicy.BLOCK, "blk-", Duration.ofSeconds(1), 256, Duration.ofSeconds(5),
                    Duration.ofMillis(50), true)));
    }

    @Test
    void aQueuesOwnSettingsOverrideTheDefaults() {
        runner.withPropertyValues(EVERY_DEFAULT)
            .withPropertyValues("lazy-workqueue.queues.io.cpus=0-1", "lazy-workqueue.queues.io.core-cpu=1",
                    "lazy-workqueue.queues.io.idle-timeout=1m", "lazy-workqueue.queues.io.max-active=1",
                    "lazy-workqueue.queues.io.affinity=none", "lazy-workqueue.queues.io.cpu-selection=ordered",
                    "lazy-workqueue.queues.io.queue-capacity=8", "lazy-workqueue.queues.io.rejection=abort",
                    "lazy-workqueue.queues.io.thread-name-prefix=io-", "lazy-workqueue.queues.io.watchdog-threshold=0",
                    "lazy-workqueue.queues.io.concurrency-threshold=5ms", "lazy-workqueue.queues.io.dedicated=false")
            .run(context -> assertThat(configOf(context.getBean("io"))).isEqualTo(new WorkqueueConfig("io",
                    CpuSet.parse("0-1"), 1, Duration.ofMinutes(1), 1, AffinityMode.NONE, CpuSelection.ORDERED, 8,
                    RejectionPolicy.ABORT, "io-", Duration.ofSeconds(1), 256, Duration.ZERO, Duration.ofMillis(5),
                    false)));
    }

    @Test
    void oneDefaultAppliesToEveryQueueThatDoesNotSetIt() {
        runner.withPropertyValues("lazy-workqueue.defaults.idle-timeout=2m", "lazy-workqueue.queues.a.max-active=2",
                "lazy-workqueue.queues.b.max-active=3", "lazy-workqueue.queues.c.idle-timeout=5s")
            .run(context -> {
                assertThat(configOf(context.getBean("a")).idleTimeout()).isEqualTo(Duration.ofMinutes(2));
                assertThat(configOf(context.getBean("b")).idleTimeout()).isEqualTo(Duration.ofMinutes(2));
                assertThat(configOf(context.getBean("c")).idleTimeout()).isEqualTo(Duration.ofSeconds(5));
            });
    }

    @Test
    void aDefaultAffinityOfNoneLetsAQueueNameCpusTheMachineLacks() {
        runner.withPropertyValues("lazy-workqueue.defaults.affinity=none", "lazy-workqueue.queues.model.cpus=0-127")
            .run(context -> assertThat(configOf(context.getBean("model")).cpus()).isEqualTo(CpuSet.parse("0-127")));
    }

    @Test
    void eachSettingComesFromTheQueueElseTheDefaultsElseNowhere() {
        Queue defaults = new Queue();
        defaults.getShutdown().setAwaitTerminationPeriod(Duration.ofSeconds(2));
        defaults.setIdleTimeout(Duration.ofSeconds(3));
        Queue queue = new Queue();
        queue.setIdleTimeout(Duration.ofSeconds(4));
        QueueSettings settings = new QueueSettings("io", queue, defaults);

        assertThat(settings.idleTimeout())
            .isEqualTo(new Setting<>("lazy-workqueue.queues.io.idle-timeout", Duration.ofSeconds(4)));
        assertThat(settings.awaitTerminationPeriod()).isEqualTo(
                new Setting<>("lazy-workqueue.defaults.shutdown.await-termination-period", Duration.ofSeconds(2)));
        assertThat(settings.maxActive()).isEqualTo(new Setting<>(null, null));
    }

    private static WorkqueueConfig configOf(Object bean) {
        return ((LazyWorkqueueTaskExecutor) bean).getWorkqueue().config();
    }
}
