package io.lazyworkqueue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminationTests {

    @Test
    void terminationWaitsUntilTheLastWorkerHasToldItsListenersThatItExited() throws Exception {
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkqueueListener slowOnExit = (workqueue, event) -> {
            if (event.type() == WorkqueueEventType.SHUTDOWN_EXIT || event.type() == WorkqueueEventType.IDLE_EXIT) {
                inListener.countDown();
                LazyWorkqueueTests.awaitQuietly(release);
            }
        };
        LazyWorkqueue workqueue = LazyWorkqueue.builder("exiting").cpus("0").affinity(AffinityMode.NONE)
            .listener(slowOnExit).build();
        assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo("exiting/0:0");

        workqueue.shutdown();
        assertThat(inListener.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(workqueue.awaitTermination(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(workqueue.isTerminated()).isFalse();
        release.countDown();
        assertThat(workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
}
