package io.lazyworkqueue;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkTests {

    @Test
    void twoQueueEntriesOfTheSameTaskAreDistinctSoTakingOneBackLeavesTheOther() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("work").cpus("0").affinity(AffinityMode.NONE).build()) {
            assertTakingOneBackLeavesTheOther(new CpuSlot(0, workqueue));
        }
    }

    private static void assertTakingOneBackLeavesTheOther(CpuSlot slot) {
        Runnable task = () -> { };
        Work first = new Work(task, slot, 0, false, 0);
        Work second = new Work(task, slot, 0, false, 0);

        Queue<Work> queue = new ConcurrentLinkedQueue<>();
        queue.add(first);
        queue.add(second);
        assertThat(queue.remove(second)).isTrue();

        assertThat(queue).containsExactly(first);
        assertThat(queue.peek()).isSameAs(first);
    }
}
