package io.lazyworkqueue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OrderedSelectionTests {

    @Test
    void anOrderedWorkqueueRunsTasksOneAtATimeInTheOrderTheyWereQueued() throws Exception {
        List<Integer> order = new ArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("ordered").cpus("0-3").coreCpu(2)
            .affinity(AffinityMode.NONE).cpuSelection(CpuSelection.ORDERED).build()) {
            for (int i = 0; i < 20_000; i++) {
                int sequence = i;
                workqueue.execute(() -> {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    threads.add(Thread.currentThread().getName());
                    // Appended without a lock: only one task runs at a time, so none is lost.
                    order.add(sequence);
                    running.decrementAndGet();
                });
            }
            workqueue.flush();
        }

        assertThat(order).hasSize(20_000).isSorted();
        assertThat(mostRunning).hasValue(1);
        assertThat(threads).allMatch(name -> name.startsWith("ordered/2:"));
    }

    @Test
    void anOrderedWorkqueueKeepsEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            seen.add(new ArrayList<>());
        }
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("ordered-many").affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ORDERED).build()) {
            Producers.start(producers, producer -> {
                for (int i = 0; i < perProducer; i++) {
                    int sequence = i;
                    workqueue.execute(() -> seen.get(producer).add(sequence));
                }
            }).join();
            workqueue.flush();
        }

        assertThat(seen).allSatisfy(sequence -> assertThat(sequence).hasSize(perProducer).isSorted());
    }

    @Test
    void anOrderedWorkqueueRefusesWorkForAnotherCpu() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("ordered-cpu").cpus("0-3").affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ORDERED).build()) {
            assertThatIllegalArgumentException().isThrownBy(() -> workqueue.executeOn(1, () -> { }))
                .withMessage("cpu 1 cannot take work of ordered workqueue 'ordered-cpu': ordered work runs on its"
                        + " core CPU 0 only");
            workqueue.executeOn(0, () -> { });
        }
    }
}
