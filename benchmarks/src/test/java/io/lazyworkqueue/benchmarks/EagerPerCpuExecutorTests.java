package io.lazyworkqueue.benchmarks;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.CpuSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EagerPerCpuExecutorTests {

    @Test
    void startsOneThreadPerCpuUpFrontAndRunsTasksOnTheNamedCpusThread() throws InterruptedException {
        CpuSet cpus = CpuSet.parse("0-3");
        EagerPerCpuExecutor eager = new EagerPerCpuExecutor("eager-test", cpus, false);
        try {
            assertThat(Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("eager-test/"))).hasSize(4);
            Set<String> ranOn = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(4);
            for (int cpu = 0; cpu < 4; cpu++) {
                eager.executeOn(cpu, () -> {
                    ranOn.add(Thread.currentThread().getName());
                    done.countDown();
                });
            }
            eager.execute(() -> { });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ranOn).containsExactlyInAnyOrder("eager-test/0", "eager-test/1", "eager-test/2", "eager-test/3");
            assertThatIllegalArgumentException().isThrownBy(() -> eager.executeOn(4, () -> { }));
        }
        finally {
            eager.shutdown();
            assertThat(eager.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
