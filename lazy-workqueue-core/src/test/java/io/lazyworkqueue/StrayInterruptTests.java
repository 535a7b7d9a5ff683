package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StrayInterruptTests {

    @Test
    void anIdleWorkerThatIsInterruptedParksAgainInsteadOfSpinning() throws Exception {
        ManualClock clock = new ManualClock();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("interrupted").cpus("0").affinity(AffinityMode.NONE)
            .clock(clock).idleTimeout(Duration.ofHours(1)).build()) {
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            workqueue.executeOn(0, () -> ran.complete(Thread.currentThread()));
            Thread worker = ran.get(30, TimeUnit.SECONDS);
            IdleExitTests.awaitIdle(workqueue, 0);

            for (int stray = 0; stray < 3; stray++) {
                worker.interrupt();
                // A spinning worker stays RUNNABLE with its interrupt flag set until its idle deadline.
                await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.getState() == Thread.State.WAITING && !worker.isInterrupted());
            }

            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo(worker.getName());
            assertThat(workqueue.snapshot(0).counters().idleExits()).isZero();
        }
    }
}
