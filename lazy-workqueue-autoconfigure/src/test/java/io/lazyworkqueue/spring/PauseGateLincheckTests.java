package io.lazyworkqueue.spring;

import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

import static io.lazyworkqueue.ModelThreads.join;
import static io.lazyworkqueue.ModelThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link PauseGate}: Lincheck runs each scenario under many interleavings of task
 * threads, stoppers and starters, and fails with the interleaving that broke an assertion or hung.
 * What the gate did is judged from outside, by a {@link Witness} that tasks and the stop callback
 * report to. The main thread asserts, since Lincheck reports only what fails there.
 */
class PauseGateLincheckTests {

    /** Interleavings explored per scenario; see docs/testing.md for what they were seen to find. */
    private static final int INVOCATIONS = 1_000;

    @Test
    void aStopCallbackRunsOnceTheTasksHaveLeftAndNoTaskRunsAtTheSameTime() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            PauseGate gate = new PauseGate(2, () -> false);
            Witness witness = new Witness(gate);

            Thread one = start(witness::runTask);
            Thread two = start(witness::runTask);
            Thread stopper = start(() -> gate.stop(witness::stopCallback));
            join(stopper);
            // Tasks held by the pause have left too: the callback must come without a start.
            witness.awaitStopCallback();
            witness.resume();
            join(one, two);

            assertEquals(1, witness.stopCallbackRuns(), "runs of the stop callback");
            assertEquals(0, witness.insideWhenStopCallbackRan(), "tasks between enter and exit when the callback ran");
            assertEquals(0, witness.enteredAfterStopCallback(), "tasks that entered after the callback, before start");
            assertEquals(2, witness.ran(), "tasks that ran");
        });
    }

    @Test
    void aTaskHeldByAPauseRunsOnceStarted() {
        Lincheck.runConcurrentTest(INVOCATIONS / 2, () -> {
            PauseGate gate = new PauseGate(2, () -> false);
            Witness witness = new Witness(gate);
            gate.stop();

            Thread task = start(witness::runTask);
            Thread starter = start(gate::start);
            join(task, starter);

            assertEquals(1, witness.ran(), "tasks that ran");
            assertFalse(gate.isPaused(), "paused after start");
        });
    }

    @Test
    void aTaskHeldByAPauseIsLetThroughByRelease() {
        Lincheck.runConcurrentTest(INVOCATIONS / 2, () -> {
            // The executor's own shut-down state stays false, so that release() alone must wake the task.
            PauseGate gate = new PauseGate(2, () -> false);
            Witness witness = new Witness(gate);
            gate.stop();

            Thread task = start(witness::runTask);
            Thread releaser = start(gate::release);
            join(task, releaser);

            assertEquals(1, witness.ran(), "tasks that ran");
            assertTrue(gate.isPaused(), "paused after release");
        });
    }

    @Test
    void aStopCallbackRunsExactlyOnceWhenSeveralTasksExitAtOnce() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            PauseGate gate = new PauseGate(2, () -> false);
            Witness witness = new Witness(gate);
            // As when the context closes: the executor has begun shutting down, so the stop holds no
            // task, and the stop and both exits race to report.
            gate.release();

            Thread one = start(witness::runTask);
            Thread two = start(witness::runTask);
            Thread stopper = start(() -> gate.stop(witness::stopCallback));
            join(one, two, stopper);

            assertEquals(1, witness.stopCallbackRuns(), "runs of the stop callback");
            assertEquals(2, witness.ran(), "tasks that ran");
        });
    }

    /** Runs tasks through a gate and notes what they and the stop callback saw. */
    private static final class Witness {

        private final PauseGate gate;

        private final AtomicInteger inside = new AtomicInteger();

        private final AtomicInteger ran = new AtomicInteger();

        private final AtomicInteger enteredAfterStopCallback = new AtomicInteger();

        private final AtomicInteger stopCallbackRuns = new AtomicInteger();

        private final AtomicInteger insideWhenStopCallbackRan = new AtomicInteger();

        private volatile boolean resumed;

        Witness(PauseGate gate) {
            this.gate = gate;
        }

        /** A task: between {@code enter()} and {@code exit()} it counts itself inside. */
        void runTask() {
            gate.enter();
            inside.incrementAndGet();
            if (stopCallbackRuns.get() > 0 && !resumed) {
                enteredAfterStopCallback.incrementAndGet();
            }
            ran.incrementAndGet();
            inside.decrementAndGet();
            gate.exit();
        }

        void stopCallback() {
            insideWhenStopCallbackRan.accumulateAndGet(inside.get(), Math::max);
            stopCallbackRuns.incrementAndGet();
        }

        /** Waits until the stop callback has run; if it never does, Lincheck reports a hang. */
        void awaitStopCallback() {
            while (stopCallbackRuns.get() == 0) {
                Thread.onSpinWait();
            }
        }

        void resume() {
            resumed = true;
            gate.start();
        }

        int ran() {
            return ran.get();
        }

        int enteredAfterStopCallback() {
            return enteredAfterStopCallback.get();
        }

        int stopCallbackRuns() {
            return stopCallbackRuns.get();
        }

        int insideWhenStopCallbackRan() {
            return insideWhenStopCallbackRan.get();
        }
    }
}
