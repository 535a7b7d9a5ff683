package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PinFailureTests {

    @RegisterExtension
    final EngineLog log = new EngineLog();

    @Test
    void whenPinningIsUnavailableThreadsRunUnpinnedWithAnEventEachAndOneWarningForAllWorkqueues() throws Exception {
        Affinity unavailable = new UnpinnedAffinity("JNA (net.java.dev.jna:jna) is not on the classpath");
        CpuSet cpus = unavailable.allowedCpus();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("no-jna").platform(unavailable)
            .idleTimeout(Duration.ofMinutes(5)).build();
                LazyWorkqueue other = LazyWorkqueue.builder("no-jna-either").platform(unavailable).build()) {
            for (int cpu : cpus.stream().toArray()) {
                assertThat(IdleExitTests.runOn(workqueue, cpu)).isEqualTo("no-jna/" + cpu + ":0");
                IdleExitTests.runOn(other, cpu);
            }

            WorkqueueSnapshot snapshot = workqueue.snapshot();
            assertThat(snapshot.cpus()).allSatisfy(cpu -> assertThat(cpu.threads()).singleElement()
                .extracting(ThreadSnapshot::pinnedCpu).isNull());
            assertThat(snapshot.recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.PIN_FAILED)
                .hasSize(cpus.size())
                .allSatisfy(event -> assertThat(event.detail())
                    .isEqualTo("JNA (net.java.dev.jna:jna) is not on the classpath"));
            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage())
                    .isEqualTo("Workqueue threads run unpinned: JNA (net.java.dev.jna:jna) is not on the classpath");
            });
        }
    }

    @Test
    void aPinFailureOnAWorkingPlatformIsWarnedOncePerWorkqueue() throws Exception {
        Affinity refusing = new Affinity() {

            @Override
            public CpuSet allowedCpus() {
                return CpuSet.firstN(4);
            }

            @Override
            public void pinCurrentThread(int cpu) {
                throw new AffinityException("sched_setaffinity to CPU " + cpu + " failed (errno 1)");
            }

            @Override
            public int currentCpu() {
                return 0;
            }

            @Override
            public @Nullable String unavailableReason() {
                return null;
            }
        };
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("refused").platform(refusing).build()) {
            for (int cpu = 0; cpu < 4; cpu++) {
                IdleExitTests.runOn(workqueue, cpu);
            }

            assertThat(workqueue.snapshot().recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.PIN_FAILED)
                .extracting(WorkqueueEvent::detail)
                .contains("sched_setaffinity to CPU 3 failed (errno 1)");
            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).isEqualTo("Workqueue 'refused' runs its threads unpinned:"
                        + " sched_setaffinity to CPU 0 failed (errno 1)");
            });
        }
    }

    @Test
    void withoutAWayToReadTheCpuEachSubmitterKeepsToOneCpu() throws Exception {
        Affinity unavailable = new UnpinnedAffinity("not Linux");
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("no-cpu").cpus("0-3").platform(unavailable)
            .affinity(AffinityMode.NONE).idleTimeout(Duration.ofMinutes(5)).build()) {
            for (int i = 0; i < 20; i++) {
                workqueue.submit(() -> { }).get(10, TimeUnit.SECONDS);
            }

            await().untilAsserted(() -> assertThat(workqueue.snapshot().cpus())
                .filteredOn(cpu -> cpu.counters().completed() > 0)
                .singleElement().extracting(cpu -> cpu.counters().completed()).isEqualTo(20L));
        }
    }
}
