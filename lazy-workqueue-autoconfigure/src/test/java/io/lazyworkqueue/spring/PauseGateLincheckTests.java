package io.lazyworkqueue.spring;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

import static io.lazyworkqueue.spring.ModelThreads.join;
import static io.lazyworkqueue.spring.ModelThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link PauseGate}: Lincheck runs each scenario under many interleavings of task
 * threads, stoppers and starters, and fails with the interleaving that broke an assertion or hung.
 * A task marks itself inside between {@code enter()} and {@code exit()}, so that what a stop
 * callback saw is judged from outside. The main thread asserts, since Lincheck reports only what
 * fails there.
 */
class PauseGateLincheckTests {

    /** Interleavings explored per scenario; see docs/testing.md for what they were seen to find. */
    private static final int INVOCATIONS = 1_000;

    @Test
    void aStopCallbackRunsOnceTheTasksHaveLeftAndNeverWhileOneIsBetweenEnterAndExit() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            PauseGate gate = new PauseGate(2, () -> false);
            Tasks tasks = new Tasks(gate);
            Callback callback = new Callback(tasks);

            Thread one = start(tasks::run);
            Thread two = start(tasks::run);
            Thread stopper = start(() -> gate.stop(callback));
            join(stopper);
            // Tasks held by the pause have left too: the callback must come without a start.
            callback.await();
            gate.start();
            join(one, two);

            assertEquals(1, callback.runs(), "runs of the stop callback");
            assertEquals(0, callback.insideWhenRun(), "tasks between enter and exit when the callback ran");
            assertEquals(2, tasks.ran(), "tasks that ran");
        });
    }

    @Test
    void aTaskHeldByAPauseRunsOnceStarted() {
        Lincheck.runConcurrentTest(INVOCATIONS / 2, () -> {
            PauseGate gate = new PauseGate(2, () -> false);
            Tasks tasks = new Tasks(gate);
            gate.stop();

            Thread task = start(tasks::run);
            Thread starter = start(gate::start);
            join(task, starter);

            assertEquals(1, tasks.ran(), "tasks that ran");
            assertFalse(gate.isPaused(), "paused after start");
        });
    }

    @Test
    void aTaskHeldByAPauseIsLetThroughWhenTheExecutorShutsDown() {
        Lincheck.runConcurrentTest(INVOCATIONS / 2, () -> {
            AtomicBoolean shutDown = new AtomicBoolean();
            PauseGate gate = new PauseGate(2, shutDown::get);
            Tasks tasks = new Tasks(gate);
            gate.stop();

            Thread task = start(tasks::run);
            // As the executor does: it shuts down, then releases the gate.
            Thread releaser = start(() -> {
                shutDown.set(true);
                gate.release();
            });
            join(task, releaser);

            assertEquals(1, tasks.ran(), "tasks that ran");
            assertTrue(gate.isPaused(), "paused after shutdown");
        });
    }

    @Test
    void aStopCallbackRunsExactlyOnceWhenSeveralTasksExitAtOnce() {
        Lincheck.runConcurrentTest(INVOCATIONS / 2, () -> {
            PauseGate gate = new PauseGate(3, () -> false);
            Tasks tasks = new Tasks(gate);
            Callback callback = new Callback(tasks);
            AtomicInteger entered = new AtomicInteger();
            AtomicBoolean stopped = new AtomicBoolean();
            // The tasks run until the stop: each exit may be the one that finds the others gone.
            Runnable task = () -> {
                gate.enter();
                entered.incrementAndGet();
                while (!stopped.get()) {
                    Thread.onSpinWait();
                }
                gate.exit();
            };

            Thread one = start(task);
            Thread two = start(task);
            Thread three = start(task);
            while (entered.get() < 3) {
                Thread.onSpinWait();
            }
            gate.stop(callback);
            stopped.set(true);
            join(one, two, three);

            assertEquals(1, callback.runs(), "runs of the stop callback");
        });
    }

    /** Tasks that mark themselves inside between {@code enter()} and {@code exit()}. */
    private static final class Tasks {

        private final PauseGate gate;

        private final AtomicInteger inside = new AtomicInteger();

        private final AtomicInteger ran = new AtomicInteger();

        Tasks(PauseGate gate) {
            this.gate = gate;
        }

        void run() {
            gate.enter();
            inside.incrementAndGet();
            ran.incrementAndGet();
            inside.decrementAndGet();
            gate.exit();
        }

        int inside() {
            return inside.get();
        }

        int ran() {
            return ran.get();
        }
    }

    /** A stop callback that notes how often it ran and how many tasks were inside when it did. */
    private static final class Callback implements Runnable {

        private final Tasks tasks;

        private final AtomicInteger runs = new AtomicInteger();

        private final AtomicInteger insideWhenRun = new AtomicInteger();


        Callback(Tasks tasks) {
            this.tasks = tasks;
        }

        @Override
        public void run() {
            insideWhenRun.accumulateAndGet(tasks.inside(), Math::max);
            runs.incrementAndGet();
        }

        /** Waits until the callback has run; one that never runs leaves the caller spinning, a hang to Lincheck. */
        void await() {
            while (runs.get() == 0) {
                Thread.onSpinWait();
            }
        }

        int runs() {
            return runs.get();
        }

        int insideWhenRun() {
            return insideWhenRun.get();
        }
    }
}
