package io.lazyworkqueue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

import io.lazyworkqueue.ModelSlot.Task;

import static io.lazyworkqueue.ModelThreads.join;
import static io.lazyworkqueue.ModelThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Model checks of the races between a CPU's submitters and its workers, and between submitters and
 * shutdown: Lincheck runs each scenario under many different interleavings of its threads,
 * switching threads at every shared-memory access, lock and park, and fails with the interleaving
 * that broke the assertion, hung or deadlocked.
 */
class HandoffLincheckTests {

    /**
     * Interleavings explored per scenario: each of the mutations listed in docs/testing.md is
     * found well within these; the five scenarios took under two minutes on a busy 2-core machine.
     */
    private static final int INVOCATIONS = 1_000;

    private static final long NEVER = Long.MAX_VALUE;

    @Test
    void aTaskQueuedWhileTheOnlyWorkerExitsRunsExactlyOnce() {
        // With no idle timeout the worker leaves as soon as it finds the queue empty.
        assertATaskQueuedBehindAnotherRunsOnce(INVOCATIONS, 0);
    }

    @Test
    void aTaskQueuedWhileTheWorkerGoesIdleRunsWithoutWaitingForTheIdleTimeout() {
        // The idle timeout never passes: only a wake-up runs the task, else the check parks for good.
        assertATaskQueuedBehindAnotherRunsOnce(INVOCATIONS / 2, NEVER);
    }

    private static void assertATaskQueuedBehindAnotherRunsOnce(int invocations, long idleTimeoutNanos) {
        Lincheck.runConcurrentTest(invocations, () -> {
            ModelSlot slot = new ModelSlot(1, idleTimeoutNanos);
            Task first = new Task();
            Task second = new Task();
            slot.submit(first);

            Thread submitter = start(() -> slot.submit(second));
            join(submitter);
            second.awaitRun();
            slot.shutdown();
            joinWorkers(slot);

            assertEquals(1, first.runs(), "runs of the first task");
            assertEquals(1, second.runs(), "runs of the task queued while the worker left or went idle");
        });
    }

    @Test
    void tasksQueuedAtOnceOnACpuWithTwoWorkersEachRunExactlyOnce() {
        Lincheck.runConcurrentTest(INVOCATIONS / 4, () -> {
            ModelSlot slot = new ModelSlot(2, NEVER);
            Task first = new Task();
            Task second = new Task();

            Thread one = start(() -> slot.submit(first));
            Thread two = start(() -> slot.submit(second));
            join(one, two);
            first.awaitRun();
            second.awaitRun();
            slot.shutdown();
            joinWorkers(slot);

            assertEquals(1, first.runs(), "runs of the first task");
            assertEquals(1, second.runs(), "runs of the second task");
        });
    }

    @Test
    void aTaskRacingShutdownIsRejectedOrRunsBeforeTermination() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            ModelSlot slot = new ModelSlot(1, NEVER);
            Task task = new Task();
            AtomicBoolean accepted = new AtomicBoolean();
            Thread core = slot.startCore();

            Thread submitter = start(() -> accepted.set(slot.submit(task)));
            Thread stopper = start(slot::shutdown);
            join(submitter, stopper, core);
            int completedAtTermination = slot.completedAtTermination();
            joinWorkers(slot);

            assertEquals(accepted.get() ? 1 : 0, task.runs(), "runs of a task that was "
                    + (accepted.get() ? "accepted" : "rejected"));
            assertEquals(task.runs(), completedAtTermination, "tasks run when termination was declared");
        });
    }

    @Test
    void aTaskRacingShutdownNowRunsIsHandedBackOrIsRejectedExactlyOnce() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            ModelSlot slot = new ModelSlot(1, NEVER);
            Task task = new Task();
            AtomicBoolean accepted = new AtomicBoolean();
            AtomicReference<List<Task>> handedBack = new AtomicReference<>();
            Thread core = slot.startCore();

            Thread submitter = start(() -> accepted.set(slot.submit(task)));
            Thread stopper = start(() -> handedBack.set(slot.shutdownNow()));
            join(submitter, stopper, core);
            int completedAtTermination = slot.completedAtTermination();
            joinWorkers(slot);

            int returned = (int) handedBack.get().stream().filter(t -> t == task).count();
            assertEquals(accepted.get() ? 1 : 0, task.runs() + returned, "runs plus hand-backs of a task that was "
                    + (accepted.get() ? "accepted" : "rejected"));
            assertEquals(task.runs(), completedAtTermination, "tasks run when termination was declared");
        });
    }

    private static void joinWorkers(ModelSlot slot) {
        try {
            slot.joinWorkers();
        }
        catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
        assertNull(slot.workerFailure(), "what a worker threw");
    }
}
