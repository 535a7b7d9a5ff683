package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class BenchmarkAffinityTests {

    @Test
    void aPinnedThreadRunsOnItsCpu() throws InterruptedException {
        assumeThat(Affinity.get().unavailableReason()).as("pinning is available here").isNull();
        int cpu = CpuSet.allowed().last();
        AtomicInteger ranOn = new AtomicInteger(-2);
        Thread thread = new Thread(() -> {
            if (BenchmarkAffinity.pinCurrentThread(cpu)) {
                ranOn.set(BenchmarkAffinity.currentCpu());
            }
        });
        thread.start();
        thread.join();
        assertThat(ranOn).hasValue(cpu);
    }

    @Test
    void pinningToACpuTheProcessMayNotUseFails() {
        assertThat(BenchmarkAffinity.pinCurrentThread(CpuSet.MAX_CPU)).isFalse();
    }
}
