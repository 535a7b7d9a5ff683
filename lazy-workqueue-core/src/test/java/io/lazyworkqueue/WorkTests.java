package io.lazyworkqueue;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkTests {

    @Test
    void twoQueueEntriesOfTheSameTaskAreDistinctSoTakingOneBackLeavesTheOther() {
        Runnable task = () -> { };
        Work first = new Work(task, 0, false, 0);
        Work second = new Work(task, 0, false, 0);

        Queue<Work> queue = new ConcurrentLinkedQueue<>();
        queue.add(first);
        queue.add(second);
        assertThat(queue.remove(second)).isTrue();

        assertThat(queue).containsExactly(first);
        assertThat(queue.peek()).isSameAs(first);
    }
}
