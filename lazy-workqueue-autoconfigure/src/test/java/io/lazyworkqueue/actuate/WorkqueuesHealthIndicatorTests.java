package io.lazyworkqueue.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.spring.CoreBreakingClock;
import io.lazyworkqueue.spring.Latches;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkqueuesHealthIndicatorTests {

    @Test
    void aTaskThatBlocksQueuedWorkPastTheThresholdTurnsHealthDownUntilItFinishes() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("slow").cpus("0-1").affinity(AffinityMode.NONE)
            .watchdogThreshold(Duration.ofMillis(200)).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofSeconds(10));
        WorkqueuesHealthIndicator health = new WorkqueuesHealthIndicator(
                new LazyWorkqueueRegistry(Map.of("slow", executor)));
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
        CountDownLatch release = new CountDownLatch(1);
        executor.executeOn(1, () -> Latches.awaitQuietly(release));
        executor.executeOn(1, () -> { });

        await().until(() -> health.health(true).getStatus().equals(Status.DOWN));
        Health down = health.health(true);
        assertThat(down.getDetails()).containsOnlyKeys("stalled");
        assertThat((List<?>) down.getDetails().get("stalled")).singleElement()
            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("queue", "slow")
            .containsEntry("cpu", 1)
            .containsEntry("queued", 1)
            .containsEntry("threshold", "PT0.2S")
            .containsKey("stalledSince");

        release.countDown();
        await().until(() -> health.health(true).getStatus().equals(Status.UP));
        assertThat(health.health(true).getDetails()).containsEntry("workqueues", 1);
        executor.destroy();
    }

    @Test
    void aWorkqueueThatLostItsCoreThreadTurnsHealthDown() throws Exception {
        CoreBreakingClock clock = new CoreBreakingClock();
        LazyWorkqueue workqueue = LazyWorkqueue.builder("broken").cpus("0-1").affinity(AffinityMode.NONE).clock(clock)
            .build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofSeconds(10));
        WorkqueuesHealthIndicator health = new WorkqueuesHealthIndicator(
                new LazyWorkqueueRegistry(Map.of("broken", executor)));
        executor.executeOn(0, () -> { });
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

        clock.breakFor("broken/core");
        executor.executeOn(1, () -> { });

        await().until(() -> health.health(true).getStatus().equals(Status.DOWN));
        assertThat((List<?>) health.health(true).getDetails().get("failed")).singleElement()
            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("queue", "broken")
            .containsEntry("coreFailure", "java.lang.IllegalStateException: clock broke");
        executor.destroy();
    }
}
