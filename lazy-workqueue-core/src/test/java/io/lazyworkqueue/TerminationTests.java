package io.lazyworkqueue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminationTests {

    @Test
    void terminationWaitsUntilTheLastTaskHasBeenTimedForItsListeners() throws Exception {
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("exiting").cpus("0").affinity(AffinityMode.NONE).build();
        workqueue.addTaskTimingListener((cpu, waitNanos, runNanos) -> {
            inListener.countDown();
            LazyWorkqueueTests.awaitQuietly(release);
        });
        workqueue.executeOn(0, () -> { });

        workqueue.shutdown();
        assertThat(inListener.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(workqueue.awaitTermination(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(workqueue.isTerminated()).isFalse();
        release.countDown();
        assertThat(workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
}
