package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Thread factories are user code: whatever their threads do, work runs once and the bounds hold. */
class HostileThreadFactoryTests {

    @Test
    void aThreadThatNeverRunsTheWorkerCountsAsAFailedCreationAndTheManagerRunsTheWork() throws Exception {
        ThreadFactory ignoresItsTask = task -> new Thread(() -> { });
        LazyWorkqueue workqueue = LazyWorkqueue.builder("ignored").cpus("0").affinity(AffinityMode.NONE)
            .threadFactory(ignoresItsTask).spawnRetryDelay(Duration.ofMillis(50)).build();

        assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo(Threads.MANAGER);
        assertThat(workqueue.snapshot().recentEvents()).filteredOn(event -> event.type() == WorkqueueEventType.SPAWN_FAILED)
            .first().extracting(WorkqueueEvent::detail).asString()
            .isEqualTo("its thread did not run the worker within PT0.05S");
        assertThat(workqueue.snapshot(0).counters().spawnFailures()).isPositive();
        workqueue.shutdown();
        assertThat(workqueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFactoryThatStartsItsThreadItselfCannotExceedMaxActive() throws Exception {
        ThreadFactory startsItsThread = task -> {
            Thread thread = new Thread(task);
            thread.start();
            return thread;
        };
        assertBoundsHoldWith("prestarted", startsItsThread);
    }

    @Test
    void aThreadThatRunsTheWorkerTwiceCannotExceedMaxActive() throws Exception {
        ThreadFactory runsItTwice = task -> new Thread(() -> {
            task.run();
            task.run();
        });
        assertBoundsHoldWith("twice", runsItTwice);
    }

    @Test
    void twoThreadsRunningTheSameWorkerCannotExceedMaxActive() throws Exception {
        ThreadFactory twoThreads = task -> {
            new Thread(task).start();
            return new Thread(task);
        };
        assertBoundsHoldWith("two-threads", twoThreads);
    }

    /**
     * Runs bursts of tasks on two CPUs, letting workers exit between bursts so that the factory is
     * called again and again, and counts from inside the tasks how many ran at once per CPU.
     */
    private static void assertBoundsHoldWith(String name, ThreadFactory factory) throws Exception {
        int tasks = 4_000;
        AtomicIntegerArray ran = new AtomicIntegerArray(tasks);
        AtomicIntegerArray running = new AtomicIntegerArray(2);
        AtomicIntegerArray mostAtOnce = new AtomicIntegerArray(2);
        LazyWorkqueue workqueue = LazyWorkqueue.builder(name).cpus("0-1").affinity(AffinityMode.NONE)
            .threadFactory(factory).idleTimeout(Duration.ofMillis(1)).spawnRetryDelay(Duration.ofMillis(1)).build();
        for (int id = 0; id < tasks; id++) {
            int task = id;
            int cpu = id % 2;
            workqueue.executeOn(cpu, () -> {
                int now = running.incrementAndGet(cpu);
                mostAtOnce.accumulateAndGet(cpu, now, Math::max);
                Thread.yield();
                ran.incrementAndGet(task);
                running.decrementAndGet(cpu);
            });
            if (id % 200 == 199) {
                workqueue.flush();
                // Past the idle timeout, so that the next burst needs new workers.
                LockSupport.parkNanos(Duration.ofMillis(3).toNanos());
            }
        }
        workqueue.shutdown();

        assertThat(workqueue.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        for (int id = 0; id < tasks; id++) {
            assertThat(ran.get(id)).as("runs of task %d", id).isEqualTo(1);
        }
        assertThat(mostAtOnce.get(0)).isEqualTo(1);
        assertThat(mostAtOnce.get(1)).isEqualTo(1);
        assertThat(workqueue.snapshot().liveThreads()).isZero();
    }
}
