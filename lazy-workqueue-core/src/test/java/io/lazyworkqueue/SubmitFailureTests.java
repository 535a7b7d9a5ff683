package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A submission that fails with an {@link Error} leaves no trace: nothing queued, nothing to wait for. */
class SubmitFailureTests {

    private final FailingClock clock = new FailingClock();

    private final AtomicInteger ran = new AtomicInteger();

    @Test
    void anErrorBeforeTheTaskIsQueuedGivesBackItsRoomAndItsFlushCount() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("before-queueing").cpus("0").affinity(AffinityMode.NONE)
            .clock(clock).queueCapacity(1).build();
        // With a timing listener, queueing reads the clock before the task reaches the queue.
        workqueue.addTaskTimingListener((cpu, waitNanos, runNanos) -> { });

        clock.failNextRead(FailingClock.threadNamed(Thread.currentThread().getName()), SubmitFailureTests::heapFull);
        assertThatThrownBy(() -> workqueue.executeOn(0, ran::incrementAndGet)).isInstanceOf(OutOfMemoryError.class);

        assertLeftNoTrace(workqueue);
    }

    @Test
    void anErrorAfterTheTaskIsQueuedTakesItBackAndReleasesTheSpawnItAskedFor() throws Exception {
        LazyWorkqueue workqueue = LazyWorkqueue.builder("after-queueing").cpus("0").affinity(AffinityMode.NONE)
            .clock(clock).queueCapacity(1).build();

        // The first task on a CPU without a worker asks for one, and the request's event reads the clock.
        clock.failNextRead(FailingClock.threadNamed(Thread.currentThread().getName()), SubmitFailureTests::heapFull);
        assertThatThrownBy(() -> workqueue.executeOn(0, ran::incrementAndGet)).isInstanceOf(OutOfMemoryError.class);

        assertThat(workqueue.snapshot(0).state()).isEqualTo(CpuState.NO_THREAD);
        assertLeftNoTrace(workqueue);
    }

    private void assertLeftNoTrace(LazyWorkqueue workqueue) throws Exception {
        assertThat(workqueue.snapshot(0).queued()).isZero();
        assertThat(workqueue.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(ran).hasValue(0);

        assertThat(IdleExitTests.runOn(workqueue, 0)).startsWith(workqueue.name() + "/0:");
        workqueue.shutdown();
        assertThat(workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
    }

    private static OutOfMemoryError heapFull() {
        return new OutOfMemoryError("Java heap space");
    }
}
