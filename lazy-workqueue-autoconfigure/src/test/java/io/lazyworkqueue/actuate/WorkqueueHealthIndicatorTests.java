package io.lazyworkqueue.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.EngineLog;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.spring.CoreBreakingClock;
import io.lazyworkqueue.spring.Latches;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkqueueHealthIndicatorTests {

    @RegisterExtension
    final EngineLog log = new EngineLog();

    @Test
    void aTaskThatBlocksQueuedWorkPastTheThresholdTurnsItsQueueDownNamingTheCpuUntilItFinishes() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("slow").cpus("0-1").affinity(AffinityMode.NONE)
            .maxActive(1).watchdogThreshold(Duration.ofMillis(200)).build()) {
            WorkqueueHealthIndicator health = new WorkqueueHealthIndicator(workqueue);
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
            CountDownLatch release = new CountDownLatch(1);
            workqueue.executeOn(1, () -> Latches.awaitQuietly(release));
            workqueue.executeOn(1, () -> { });

            await().until(() -> health.health(true).getStatus().equals(Status.DOWN));
            Health down = health.health(true);
            assertThat(down.getDetails()).containsOnlyKeys("stalled", "threshold").containsEntry("threshold", "PT0.2S");
            assertThat((List<?>) down.getDetails().get("stalled")).singleElement()
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("cpu", 1)
                .containsEntry("queued", 1)
                .containsKey("stalledSince");
            await().untilAsserted(() -> assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage())
                    .startsWith("Workqueue 'slow' stalled on CPU 1: 1 task(s) queued and none finished for PT0.");
            }));

            release.countDown();
            await().until(() -> health.health(true).getStatus().equals(Status.UP));
            assertThat(health.health(true).getDetails()).containsOnlyKeys("liveThreads", "queued")
                .containsEntry("queued", 0);
        }
    }

    @Test
    void aWorkqueueWhoseManagerDiedIsDownForGoodWithTheFailure() throws Exception {
        CoreBreakingClock clock = new CoreBreakingClock();
        LazyWorkqueue workqueue = LazyWorkqueue.builder("broken").cpus("0-1").affinity(AffinityMode.NONE).clock(clock)
            .build();
        WorkqueueHealthIndicator health = new WorkqueueHealthIndicator(workqueue);
        workqueue.executeOn(0, () -> { });
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

        clock.breakFor("lazy-workqueue-manager");
        // A timer makes the manager read the clock.
        workqueue.schedule(() -> { }, Duration.ofMillis(1));

        await().until(() -> health.health(true).getStatus().equals(Status.DOWN));
        assertThat(health.health(true).getDetails()).containsEntry("coreFailure",
                "java.lang.IllegalStateException: clock broke");
        assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getMessage()).startsWith("The workqueue manager thread lazy-workqueue-manager died;"
                    + " workqueue(s) 'broken' stop accepting work");
            assertThat(record.getThrown()).hasMessage("clock broke");
        });
        workqueue.shutdownNow();
    }
}
