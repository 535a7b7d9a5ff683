package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hammers the race between workers that exit after a millisecond of idleness and producers that
 * queue on their CPUs at that moment, and counts every task, and how many of each CPU's tasks run
 * at once.
 */
class StressTests {

    private static final int TASKS = 1_000_000;

    private static final int PRODUCERS = 4;

    /** Tasks of all producers in one round. */
    private static final int ROUND = 4_000;

    private final AtomicIntegerArray ran = new AtomicIntegerArray(TASKS);

    /** What ran at once on each CPU, for each workqueue of a test. */
    private final List<RunningAtOnce> atOnce = List.of(new RunningAtOnce(), new RunningAtOnce(), new RunningAtOnce(),
            new RunningAtOnce());

    @Test
    void aMillionTasksOnEveryRealCpuRunExactlyOnceWhileWorkersComeAndGo() throws Exception {
        CpuSet cpus = CpuSet.allowed();
        LazyWorkqueue workqueue = LazyWorkqueue.builder("stress").maxActive(1).idleTimeout(Duration.ofMillis(1))
            .build();

        produce(List.of(workqueue), cpus, 256);

        assertEveryTaskRanOnce();
        CpuCounters total = SpawnFailureTests.total(workqueue.snapshot());
        assertThat(total.completed()).isEqualTo(TASKS);
        assertThat(total.idleExits()).as("workers that exited idle and were needed again").isPositive();
        assertThat(total.spawns()).isGreaterThan(cpus.size());
        assertThat(total.spawnFailures()).isZero();
        assertThat(cpus.stream()).allSatisfy(cpu -> assertThat(atOnce.get(0).most(cpu))
            .as("tasks of CPU %d that ran at once with maxActive 1", cpu).isOne());
    }

    @Test
    void aMillionTasksOnSixtyFourSimulatedCpusRunExactlyOnceAndNoCpuExceedsMaxActive() throws Exception {
        CpuSet cpus = CpuSet.firstN(64);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("stress64").cpus(cpus).affinity(AffinityMode.NONE)
            .maxActive(2).idleTimeout(Duration.ofMillis(1)).build();

        produce(List.of(workqueue), cpus, 32);

        assertEveryTaskRanOnce();
        assertThat(cpus.stream()).allSatisfy(cpu -> assertThat(atOnce.get(0).most(cpu))
            .as("tasks of CPU %d that ran at once with maxActive 2", cpu).isBetween(1, 2));
        CpuCounters total = SpawnFailureTests.total(workqueue.snapshot());
        assertThat(total.completed()).isEqualTo(TASKS);
        assertThat(total.idleExits()).isPositive();
        assertThat(workqueue.snapshot().cpus()).allSatisfy(cpu -> assertThat(cpu.counters().spawns()).isPositive());
    }

    @Test
    void aMillionTasksOfFourWorkqueuesSharingPoolsOnSixtyFourSimulatedCpusRunExactlyOnceEachWithinItsMaxActive()
            throws Exception {
        CpuSet cpus = CpuSet.firstN(64);
        List<LazyWorkqueue> workqueues = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workqueues.add(LazyWorkqueue.builder("shared-" + i).cpus(cpus).affinity(AffinityMode.NONE).maxActive(2)
                .idleTimeout(Duration.ofMillis(1)).build());
        }
        assertThat(workqueues.get(0).pools()).allSatisfy(pool -> assertThat(pool.queues())
            .containsExactly("shared-0", "shared-1", "shared-2", "shared-3"));

        produce(workqueues, cpus, 32);

        assertEveryTaskRanOnce();
        for (int queue = 0; queue < workqueues.size(); queue++) {
            RunningAtOnce queueAtOnce = atOnce.get(queue);
            assertThat(cpus.stream()).allSatisfy(cpu -> assertThat(queueAtOnce.most(cpu))
                .as("tasks of one workqueue on CPU %d that ran at once with maxActive 2", cpu).isLessThanOrEqualTo(2));
        }
        long completed = workqueues.stream().mapToLong(workqueue -> SpawnFailureTests.total(workqueue.snapshot())
            .completed()).sum();
        assertThat(completed).isEqualTo(TASKS);
    }

    /**
     * Queues every task from four producers, by CPU selection and on named CPUs, in rounds; between
     * rounds all producers pause together for about the idle timeout, so that the queues run dry and
     * the workers decide to exit just as the next round arrives. Task {@code id} goes to workqueue
     * {@code id % workqueues}. Then closes the workqueues.
     * <p>
     * Tasks queued on a named CPU count among that CPU's running tasks; those of the selection, whose
     * CPU the test cannot know, only count as run. Tasks this short hardly ever overlap, so that a CPU
     * running one too many at once would go unseen: one in {@code pauseOneIn} of each CPU's tasks
     * leaves its CPU for a moment before it ends. Rarely enough that the queues still run dry
     * between rounds, often enough that each CPU has overlaps; spread over 64 CPUs, each gets too
     * few tasks for the rate that suits two.
     * @param pauseOneIn one in how many of a CPU's tasks pause
     */
    private void produce(List<LazyWorkqueue> workqueues, CpuSet cpus, int pauseOneIn) throws Exception {
        CyclicBarrier roundEnd = new CyclicBarrier(PRODUCERS);
        try {
            Producers.start(PRODUCERS, producer -> {
                for (int id = producer; id < TASKS; id += PRODUCERS) {
                    int task = id;
                    LazyWorkqueue workqueue = workqueues.get(id % workqueues.size());
                    RunningAtOnce queueAtOnce = atOnce.get(id % workqueues.size());
                    Runnable count = () -> ran.incrementAndGet(task);
                    if (id % 3 == 0) {
                        workqueue.execute(count);
                    }
                    else {
                        int cpu = cpus.get(id % cpus.size());
                        Runnable counted = id / cpus.size() % pauseOneIn == 0 ? pauseAfter(count) : count;
                        workqueue.executeOn(cpu, queueAtOnce.on(cpu, counted));
                    }
                    if (id % ROUND >= ROUND - PRODUCERS) {
                        int round = id / ROUND;
                        await(roundEnd);
                        // Just under, at and over the idle timeout; and now and then long enough for
                        // workers to exit even on a loaded machine.
                        long pause = round % 10 == 0 ? Duration.ofMillis(10).toNanos()
                                : Duration.ofMillis(1).toNanos() * (2 + round % 3) / 3;
                        LockSupport.parkNanos(pause);
                    }
                }
            }).join();
        }
        finally {
            workqueues.forEach(LazyWorkqueue::close);
        }
    }

    private static Runnable pauseAfter(Runnable task) {
        return () -> {
            task.run();
            LockSupport.parkNanos(1);
        };
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(1, TimeUnit.MINUTES);
        }
        catch (InterruptedException | BrokenBarrierException | TimeoutException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void assertEveryTaskRanOnce() {
        int wrong = 0;
        for (int id = 0; id < TASKS; id++) {
            if (ran.get(id) != 1) {
                wrong++;
            }
        }
        assertThat(wrong).as("tasks that did not run exactly once").isZero();
    }
}
