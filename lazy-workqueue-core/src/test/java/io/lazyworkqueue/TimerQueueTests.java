package io.lazyworkqueue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TimerQueueTests {

    private final LazyWorkqueue workqueue = LazyWorkqueue.builder("timers").cpus("0").affinity(AffinityMode.NONE)
        .build();

    private final CpuSlot slot = new CpuSlot(0, workqueue);

    private final TimerQueue timers = new TimerQueue();

    @AfterEach
    void close() {
        workqueue.close();
    }

    private DelayedWork timer(long deadlineNanos) {
        return new DelayedWork(() -> { }, slot, deadlineNanos, workqueue.timers);
    }

    private List<DelayedWork> pollAll() {
        List<DelayedWork> polled = new ArrayList<>();
        for (DelayedWork next = timers.poll(); next != null; next = timers.poll()) {
            polled.add(next);
        }
        return polled;
    }

    @Test
    void timersComeOutInDeadlineOrderAndEqualDeadlinesInSchedulingOrder() {
        DelayedWork third = timer(-5);
        DelayedWork first = timer(-30);
        DelayedWork fourth = timer(-5);
        DelayedWork second = timer(-20);
        DelayedWork fifth = timer(7);
        for (DelayedWork work : List.of(third, first, fourth, second, fifth)) {
            timers.add(work);
        }

        assertThat(timers.size()).isEqualTo(5);
        assertThat((Object) timers.peek()).isSameAs(first);
        assertThat(pollAll()).containsExactly(first, second, third, fourth, fifth);
        assertThat(timers.size()).isZero();
        assertThat((Object) timers.peek()).isNull();
    }

    @Test
    void deadlinesAreComparedAcrossTheWrapOfTheClock() {
        long now = Long.MAX_VALUE - 10;
        DelayedWork afterTheWrap = timer(now + 20);
        DelayedWork beforeTheWrap = timer(now + 5);
        timers.add(afterTheWrap);
        timers.add(beforeTheWrap);

        assertThat(afterTheWrap.deadlineNanos).isNegative();
        assertThat(pollAll()).containsExactly(beforeTheWrap, afterTheWrap);
    }

    @Test
    void aTimerRemovedFromTheMiddleIsGoneAndTheOthersKeepTheirOrder() {
        List<DelayedWork> added = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            DelayedWork work = timer(1_000 - 10L * i);
            added.add(work);
            timers.add(work);
        }
        DelayedWork middle = added.get(7);

        assertThat(timers.remove(middle)).isTrue();

        assertThat(timers.remove(middle)).as("removed twice").isFalse();
        assertThat(timers.size()).isEqualTo(14);
        List<DelayedWork> expected = new ArrayList<>(added);
        expected.remove(middle);
        Collections.reverse(expected);
        assertThat(pollAll()).containsExactlyElementsOf(expected);
    }

    @Test
    void aTimerThatLeftTheQueueCannotBeRemovedFromItAgain() {
        DelayedWork polled = timer(1);
        DelayedWork drained = timer(2);
        DelayedWork neverAdded = timer(3);
        timers.add(polled);
        timers.add(drained);

        assertThat((Object) timers.poll()).isSameAs(polled);
        List<DelayedWork> taken = new ArrayList<>();
        timers.drainTo(taken);

        assertThat(taken).containsExactly(drained);
        assertThat(timers.size()).isZero();
        DelayedWork later = timer(4);
        timers.add(later);
        assertThat(timers.remove(polled)).isFalse();
        assertThat(timers.remove(drained)).isFalse();
        assertThat(timers.remove(neverAdded)).isFalse();
        assertThat(timers.size()).isEqualTo(1);
        assertThat(timers.remove(later)).isTrue();
    }

    @Test
    void aTimerCannotBeAddedTwice() {
        DelayedWork work = timer(1);
        timers.add(work);

        assertThatIllegalStateException().isThrownBy(() -> timers.add(work))
            .withMessage("the task is already in a timer queue");
        assertThat(timers.size()).isEqualTo(1);
    }

    @Test
    void aTimerTakenOutCanBeAddedAgain() {
        DelayedWork work = timer(1);
        timers.add(work);
        timers.remove(work);

        timers.add(work);

        assertThat((Object) timers.poll()).isSameAs(work);
    }

    @Test
    void randomOperationsAgreeWithAPriorityQueue() {
        Random random = new Random(20240509);
        PriorityQueue<DelayedWork> oracle = new PriorityQueue<>();
        List<DelayedWork> everAdded = new ArrayList<>();
        for (int step = 0; step < 50_000; step++) {
            int operation = random.nextInt(10);
            if (operation < 5) {
                // Few distinct deadlines, so that ties are common; both signs of the clock.
                DelayedWork work = timer(random.nextInt(200) - 100);
                everAdded.add(work);
                timers.add(work);
                oracle.add(work);
            }
            else if (operation < 8 && !everAdded.isEmpty()) {
                DelayedWork work = everAdded.get(random.nextInt(everAdded.size()));
                assertThat(timers.remove(work)).as("remove at step %d", step).isEqualTo(oracle.remove(work));
            }
            else {
                assertThat((Object) timers.poll()).as("poll at step %d", step).isSameAs(oracle.poll());
            }
            assertThat(timers.size()).as("size at step %d", step).isEqualTo(oracle.size());
            assertThat((Object) timers.peek()).as("peek at step %d", step).isSameAs(oracle.peek());
        }
        List<DelayedWork> expected = new ArrayList<>();
        for (DelayedWork next = oracle.poll(); next != null; next = oracle.poll()) {
            expected.add(next);
        }
        assertThat(pollAll()).containsExactlyElementsOf(expected);
    }
}
