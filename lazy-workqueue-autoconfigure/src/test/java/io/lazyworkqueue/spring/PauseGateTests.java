package io.lazyworkqueue.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PauseGateTests {

    private final AtomicBoolean shutDown = new AtomicBoolean();

    private final PauseGate gate = new PauseGate(4, shutDown::get);

    @Test
    void aStopCallbackRunsOnceTheLastRunningTaskHasExited() {
        AtomicInteger reported = new AtomicInteger();
        gate.enter();
        gate.enter();

        gate.stop(reported::incrementAndGet);
        assertThat(reported).hasValue(0);
        gate.exit();
        assertThat(reported).hasValue(0);
        gate.exit();

        assertThat(reported).hasValue(1);
        assertThat(gate.isPaused()).isTrue();
    }

    @Test
    void aStopCallbackRunsAtOnceWhenNoTaskRuns() {
        AtomicInteger reported = new AtomicInteger();

        gate.stop(reported::incrementAndGet);

        assertThat(reported).hasValue(1);
    }

    @Test
    void aPausedGateHoldsATaskUntilStarted() throws Exception {
        gate.stop();
        Thread task = startTask();
        await().until(() -> task.getState() == Thread.State.WAITING);

        gate.start();

        task.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(task.isAlive()).isFalse();
        assertThat(gate.isPaused()).isFalse();
    }

    @Test
    void aReleasedGateNoLongerHoldsTasksThoughPaused() throws Exception {
        gate.stop();
        Thread held = startTask();
        await().until(() -> held.getState() == Thread.State.WAITING);

        shutDown.set(true);
        gate.release();

        held.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(held.isAlive()).isFalse();
        gate.enter();
        gate.exit();
    }

    @Test
    void anInterruptEndsTheWaitAndTheTaskRunsWithTheInterruptSet() throws Exception {
        gate.stop();
        AtomicBoolean interruptedInTask = new AtomicBoolean();
        Thread task = new Thread(() -> {
            gate.enter();
            interruptedInTask.set(Thread.currentThread().isInterrupted());
            gate.exit();
        });
        task.start();
        await().until(() -> task.getState() == Thread.State.WAITING);

        task.interrupt();

        task.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(interruptedInTask).isTrue();
    }

    @Test
    void aStopCallbackNeverRunsWhileATaskIsBetweenEnterAndExit() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger reportedWhileRunning = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread worker = new Thread(() -> {
                while (!done.get()) {
                    gate.enter();
                    inside.incrementAndGet();
                    inside.decrementAndGet();
                    gate.exit();
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (int round = 0; round < 2_000; round++) {
            CountDownLatch reported = new CountDownLatch(1);
            gate.stop(() -> {
                if (inside.get() != 0) {
                    reportedWhileRunning.incrementAndGet();
                }
                reported.countDown();
            });
            assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
            gate.start();
        }
        done.set(true);
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(reportedWhileRunning).hasValue(0);
    }

    @Test
    void anyNumberOfThreadsGivesAWorkingGate() {
        for (long threads : new long[] { 0, 1, 3, 1_000, Integer.MAX_VALUE * 64L }) {
            PauseGate sized = new PauseGate(threads, () -> false);
            AtomicInteger reported = new AtomicInteger();
            sized.enter();
            sized.stop(reported::incrementAndGet);
            sized.exit();
            assertThat(reported).as("threads %d", threads).hasValue(1);
        }
    }

    private Thread startTask() {
        Thread task = new Thread(() -> {
            gate.enter();
            gate.exit();
        });
        task.start();
        return task;
    }
}
