package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The flush generations on their own: the test plays the tasks, entering and leaving the barrier
 * itself, so that it decides exactly which tasks are in flight when each flush arrives.
 */
class FlushBarrierTests {

    private final AtomicLongArray cpu0 = new AtomicLongArray(2);

    private final AtomicLongArray cpu1 = new AtomicLongArray(2);

    private final FlushBarrier barrier = new FlushBarrier(List.of(cpu0, cpu1));

    /** A flush on a thread of its own, and what it returned or threw. */
    private record Flush(Thread thread, CompletableFuture<Boolean> outcome) {

        boolean isWaiting() {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        }
    }

    private Flush startFlush(long timeoutNanos) {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.complete(barrier.flush(timeoutNanos));
            }
            catch (Throwable ex) {
                outcome.completeExceptionally(ex);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return new Flush(thread, outcome);
    }

    /**
     * Enters a task on {@code counter} once a flush has switched away from {@code generation}: a
     * task entered then is in the new generation. Probes that land in the old one leave again.
     * @return the new generation, which the task holds until the test exits it
     */
    private int enterAfterSwitchFrom(int generation, AtomicLongArray counter) {
        int[] entered = new int[1];
        soon().until(() -> {
            int probe = barrier.enter(counter);
            if (probe != generation) {
                entered[0] = probe;
                return true;
            }
            barrier.exit(counter, probe);
            return false;
        });
        return entered[0];
    }

    /** Awaitility polling every millisecond, for waits that race a flush's timeout. */
    private static ConditionFactory soon() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    @Test
    void flushesThatArriveWhileAnotherWaitsAreReleasedTogetherByTheNextGeneration() throws Exception {
        int first = barrier.enter(cpu0);
        Flush leader = startFlush(Long.MAX_VALUE);
        int second = enterAfterSwitchFrom(first, cpu1);
        List<Flush> followers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            followers.add(startFlush(Long.MAX_VALUE));
        }
        await().until(() -> followers.stream().allMatch(Flush::isWaiting));

        barrier.exit(cpu0, first);

        assertThat(leader.outcome().get(10, TimeUnit.SECONDS)).isTrue();
        // The followers arrived before the task in the second generation was queued, or while
        // it was: they wait for it, and for nothing queued after the next switch.
        int third = enterAfterSwitchFrom(second, cpu0);
        try {
            assertThat(followers).noneMatch(flush -> flush.outcome().isDone());
            barrier.exit(cpu1, second);

            await().atMost(Duration.ofSeconds(10))
                .until(() -> followers.stream().allMatch(flush -> flush.outcome().isDone()));
            assertThat(followers).allMatch(flush -> flush.outcome().join());
        }
        finally {
            barrier.exit(cpu0, third);
        }
    }

    @Test
    void aFlushDoesNotWaitForTasksQueuedAfterItBegan() throws Exception {
        int before = barrier.enter(cpu0);
        Flush flush = startFlush(Long.MAX_VALUE);
        int after = enterAfterSwitchFrom(before, cpu1);

        barrier.exit(cpu0, before);

        assertThat(flush.outcome().get(10, TimeUnit.SECONDS)).isTrue();
        barrier.exit(cpu1, after);
    }

    @Test
    void aFlushWaitsForTasksOfBothGenerationsAfterAFlushThatTimedOut() throws Exception {
        int older = barrier.enter(cpu0);
        assertThat(barrier.flush(TimeUnit.MILLISECONDS.toNanos(10))).isFalse();
        int newer = barrier.enter(cpu1);
        assertThat(newer).isNotEqualTo(older);

        Flush flush = startFlush(Long.MAX_VALUE);
        await().until(flush::isWaiting);
        barrier.exit(cpu1, newer);

        assertThat(flush.outcome()).as("waiting for the task the timed-out flush left").isNotDone();
        barrier.exit(cpu0, older);

        assertThat(flush.outcome().get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFlushStillReturnsWhenTheFlushWaitingOnItsBehalfTimesOut() throws Exception {
        int task = barrier.enter(cpu0);
        // Long enough for the patient flush to arrive while the impatient one still waits.
        Flush impatient = startFlush(TimeUnit.SECONDS.toNanos(1));
        int later = enterAfterSwitchFrom(task, cpu1);
        barrier.exit(cpu1, later);
        Flush patient = startFlush(Long.MAX_VALUE);
        soon().until(patient::isWaiting);

        assertThat(impatient.outcome().get(10, TimeUnit.SECONDS)).isFalse();
        soon().until(patient::isWaiting);
        assertThat(patient.outcome()).isNotDone();
        barrier.exit(cpu0, task);

        assertThat(patient.outcome().get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void interruptedFlushesThrowAndLeaveTheOthersWaiting() throws Exception {
        int task = barrier.enter(cpu0);
        Flush watching = startFlush(Long.MAX_VALUE);
        int later = enterAfterSwitchFrom(task, cpu1);
        barrier.exit(cpu1, later);
        Flush interrupted = startFlush(Long.MAX_VALUE);
        Flush remaining = startFlush(Long.MAX_VALUE);
        await().until(() -> interrupted.isWaiting() && remaining.isWaiting());

        watching.thread().interrupt();
        interrupted.thread().interrupt();

        for (Flush flush : List.of(watching, interrupted)) {
            assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> flush.outcome().get(10, TimeUnit.SECONDS))
                .withCauseInstanceOf(InterruptedException.class);
        }
        await().until(remaining::isWaiting);
        assertThat(remaining.outcome()).isNotDone();
        barrier.exit(cpu0, task);
        assertThat(remaining.outcome().get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFlushOfAnEmptyBarrierReturnsAtOnceEvenWithoutTime() throws Exception {
        assertThat(barrier.flush(0)).isTrue();
        assertThat(barrier.flush(0)).isTrue();
    }
}
