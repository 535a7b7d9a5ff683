package io.lazyworkqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A clock's origin is arbitrary: no reading, negative, zero or near the ends of a long, is special. */
class ClockOriginTests {

    @ParameterizedTest
    @ValueSource(longs = { Long.MIN_VALUE + 1, -1_000_000_000_000L, -1, 0, Long.MAX_VALUE - 1_000_000_000_000L })
    void aWorkerIsCreatedTimedAndRetiredWhateverTheClockReads(long origin) throws Exception {
        ManualClock clock = new ManualClock(origin);
        List<Long> waits = new CopyOnWriteArrayList<>();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("origin").cpus("0").affinity(AffinityMode.NONE)
            .clock(clock).idleTimeout(Duration.ofSeconds(5)).build()) {
            workqueue.addTaskTimingListener((cpu, waitNanos, runNanos) -> waits.add(waitNanos));

            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo("origin/0:0");
            await().until(() -> waits.size() == 1);
            assertThat(waits).containsExactly(0L);

            IdleExitTests.awaitIdle(workqueue, 0);
            clock.advance(Duration.ofSeconds(5));
            await().until(() -> workqueue.snapshot(0).state() == CpuState.NO_THREAD);
            assertThat(workqueue.snapshot(0).counters().idleExits()).isEqualTo(1);
        }
    }
}
