package io.lazyworkqueue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
class AffinityTests {

    private final Affinity platform = Affinity.get();

    /** Where a task ran, as the kernel sees it. */
    private record Placement(String thread, long nativeThreadId, String cpusAllowedList, int cpuNow) {
    }

    private Placement placement() {
        long tid = Affinity.currentNativeThreadId();
        return new Placement(Thread.currentThread().getName(), tid, Tasks.cpusAllowedList(tid), platform.currentCpu());
    }

    @Test
    void theLinuxPlatformIsAvailableHere() {
        assertThat(platform.unavailableReason()).isNull();
        assertThat(platform).isInstanceOf(LinuxAffinity.class);
    }

    @Test
    void theAllowedCpusAreThoseTheKernelListsForThisProcess() throws IOException {
        String allowed = Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(line -> line.startsWith("Cpus_allowed_list:"))
            .map(line -> line.substring("Cpus_allowed_list:".length()).trim())
            .findFirst()
            .orElseThrow();

        assertThat(CpuSet.allowed()).isEqualTo(CpuSet.parse(allowed));
    }

    @Test
    void aTaskQueuedOnACpuRunsOnAThreadPinnedToThatCpu() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("pinned").idleTimeout(Duration.ofMinutes(5)).build()) {
            for (int cpu : CpuSet.allowed().stream().toArray()) {
                Placement placement = CompletableFuture.supplyAsync(this::placement,
                        task -> workqueue.executeOn(cpu, task)).get(10, TimeUnit.SECONDS);

                assertThat(placement.thread()).isEqualTo("pinned/" + cpu + ":0");
                assertThat(placement.cpusAllowedList()).isEqualTo(String.valueOf(cpu));
                assertThat(placement.cpuNow()).isEqualTo(cpu);
                ThreadSnapshot thread = workqueue.snapshot().cpu(cpu).threads().get(0);
                assertThat(thread.pinnedCpu()).isEqualTo(cpu);
                assertThat(thread.nativeThreadId()).isEqualTo(placement.nativeThreadId());
            }
            assertThat(workqueue.snapshot().recentEvents())
                .filteredOn(event -> event.type() == WorkqueueEventType.PINNED)
                .extracting(WorkqueueEvent::thread)
                .containsAll(CpuSet.allowed().stream().mapToObj(cpu -> "pinned/" + cpu + ":0").toList());
        }
    }

    @Test
    void theManagerStartedFromAPinnedWorkerRunsOnEveryAllowedCpu() throws Exception {
        int first = CpuSet.allowed().first();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("manager-pin").build()) {
            // A timer keeps the manager until the workqueue closes.
            CompletableFuture.runAsync(() -> workqueue.schedule(() -> { }, Duration.ofMinutes(5)),
                    task -> workqueue.executeOn(first, task)).get(10, TimeUnit.SECONDS);
            await().until(() -> workqueue.snapshot().coreThread() != null
                    && workqueue.snapshot().coreThread().nativeThreadId() > 0);
            ThreadSnapshot manager = workqueue.snapshot().coreThread();

            assertThat(CpuSet.parse(Tasks.cpusAllowedList(manager.nativeThreadId()))).isEqualTo(CpuSet.allowed());
        }
    }

    @Test
    void workThatRanAsFallbackRunsOnTheManagerOnEveryAllowedCpu() throws Exception {
        int other = CpuSet.allowed().last();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("fallback-pin").threadFactory(Tasks.alwaysFailing())
            .build()) {
            Placement placement = CompletableFuture.supplyAsync(this::placement,
                    task -> workqueue.executeOn(other, task)).get(10, TimeUnit.SECONDS);

            assertThat(placement.thread()).isEqualTo(Threads.MANAGER);
            assertThat(CpuSet.parse(placement.cpusAllowedList())).isEqualTo(CpuSet.allowed());
        }
    }

    @Test
    void unpinnedWorkqueuesLeaveTheirThreadsOnEveryAllowedCpu() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("unpinned").affinity(AffinityMode.NONE).build()) {
            Placement placement = CompletableFuture.supplyAsync(this::placement,
                    task -> workqueue.executeOn(CpuSet.allowed().first(), task)).get(10, TimeUnit.SECONDS);

            assertThat(CpuSet.parse(placement.cpusAllowedList())).isEqualTo(CpuSet.allowed());
            assertThat(workqueue.snapshot().recentEvents()).extracting(WorkqueueEvent::type)
                .doesNotContain(WorkqueueEventType.PINNED, WorkqueueEventType.PIN_FAILED);
        }
    }

    @Test
    void pinningToACpuOutsideTheAllowedSetFailsWithEinval() throws Exception {
        int outside = CpuSet.allowed().last() + 1;
        CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> platform.pinCurrentThread(outside),
                task -> new Thread(task).start());

        assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
            .isThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
            .withCauseInstanceOf(AffinityException.class)
            .withMessageContaining("sched_setaffinity to CPU " + outside + " failed (EINVAL: CPU " + outside
                    + " is not online or not in this process's cpuset)");
    }
}
