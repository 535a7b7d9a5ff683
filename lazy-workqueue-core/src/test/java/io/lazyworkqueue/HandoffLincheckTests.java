package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.lazyworkqueue.ModelPool.Task;

import static io.lazyworkqueue.ModelThreads.join;
import static io.lazyworkqueue.ModelThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of the races between the submitters of one CPU's worker pool, its workers and the
 * manager: Lincheck runs each scenario under many different interleavings of its threads,
 * switching threads at every shared-memory access, lock and park, and fails with the interleaving
 * that broke the assertion, hung or deadlocked. Tasks count their runs, and the main thread
 * asserts what came out, since Lincheck reports only what fails there.
 */
class HandoffLincheckTests {

    /**
     * Interleavings explored per scenario: each of the mutations listed in docs/testing.md is
     * found well within these.
     */
    private static final int INVOCATIONS = 1_000;

    private static final long NEVER = Long.MAX_VALUE;

    @Test
    void aTaskQueuedWhileTheOnlyWorkerTimesOutRunsExactlyOnce() {
        // With no idle timeout the worker leaves as soon as it finds the queue empty.
        assertATaskQueuedBehindAnotherRunsOnce(INVOCATIONS, 0);
    }

    @Test
    void aTaskQueuedWhileTheOnlyWorkerGoesIdleRunsWithoutWaitingForTheIdleTimeout() {
        // The idle timeout never passes: only a wake-up runs the task, else the check parks for good.
        assertATaskQueuedBehindAnotherRunsOnce(INVOCATIONS / 2, NEVER);
    }

    private static void assertATaskQueuedBehindAnotherRunsOnce(int invocations, long idleTimeoutNanos) {
        Lincheck.runConcurrentTest(invocations, () -> {
            ModelPool pool = new ModelPool(1, idleTimeoutNanos);
            Task first = new Task();
            Task second = new Task();
            pool.submit(first);

            Thread submitter = start(() -> pool.submit(second));
            join(submitter);
            second.awaitRun();
            retireAndJoin(pool);

            assertEquals(1, first.runs(), "runs of the first task");
            assertEquals(1, second.runs(), "runs of the task queued while the worker left or went idle");
            assertWorkersWithin(pool, 1);
        });
    }

    @Test
    void twoTasksQueuedAtOnceOnAnEmptyPoolStartOneWorkerAndBothRun() {
        Lincheck.runConcurrentTest(INVOCATIONS / 2, () -> {
            // Room for two workers, but short tasks leave no worker stuck, so the manager's looks
            // would not grow the pool: the submitters do not look.
            ModelPool pool = new ModelPool(2, NEVER);
            Task first = new Task();
            Task second = new Task();

            Thread one = start(() -> pool.enqueue(first));
            Thread two = start(() -> pool.enqueue(second));
            join(one, two);
            first.awaitRun();
            second.awaitRun();
            retireAndJoin(pool);

            assertEquals(1, pool.starts(), "workers started for two tasks queued on an empty pool");
            assertEquals(1, first.runs(), "runs of the first task");
            assertEquals(1, second.runs(), "runs of the second task");
            assertWorkersWithin(pool, 1);
        });
    }

    /**
     * A worker with no idle timeout runs a task, while a submitter queues another and looks as
     * the manager would, and the manager looks too; the next start fails, so the manager runs the
     * work itself under the reservation and gives it back. With a cap of one the manager can add
     * a worker only in the moment the worker has left; with two, also beside the busy one.
     */
    @ParameterizedTest(name = "with a cap of {0}")
    @ValueSource(ints = {1, 2})
    void growingThePoolWhileItsWorkerExitsAndAStartFailsStaysWithinTheCapAndRunsTheTask(int cap) {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            ModelPool pool = new ModelPool(cap, 0);
            Task first = new Task();
            Task second = new Task();
            pool.submit(first);
            pool.failNextStart();

            Thread submitter = start(() -> pool.submit(second));
            Thread manager = start(pool::look);
            join(submitter, manager);
            second.awaitRun();
            retireAndJoin(pool);

            assertEquals(1, first.runs(), "runs of the first task");
            assertEquals(1, second.runs(), "runs of the task queued while the pool grew and its worker left");
            assertWorkersWithin(pool, cap);
        });
    }

    @Test
    void aTaskQueuedAsThePoolRetiresRunsOnceOrStaysForItsSubmitterToTakeBack() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            ModelPool pool = new ModelPool(1, NEVER);
            Task first = new Task();
            Task late = new Task();
            AtomicBoolean threadComing = new AtomicBoolean();
            pool.submit(first);

            Thread submitter = start(() -> {
                threadComing.set(pool.enqueue(late));
                if (!threadComing.get()) {
                    pool.look();
                }
            });
            Thread retirer = start(pool::retire);
            join(submitter, retirer);
            joinThreads(pool);
            // What no thread took is still queued: its submitter, told that none was sure to
            // come, takes it back.
            boolean takenBack = pool.handoff.takeBack(late);

            assertEquals(1, first.runs(), "runs of the task queued before the retirement");
            assertEquals(1, late.runs() + (takenBack ? 1 : 0), "runs plus take-backs of the late task");
            assertFalse(threadComing.get() && takenBack, "a task whose submitter was told a thread would come was left");
            assertWorkersWithin(pool, 1);
        });
    }

    private static void retireAndJoin(ModelPool pool) {
        pool.retire();
        joinThreads(pool);
    }

    private static void joinThreads(ModelPool pool) {
        try {
            pool.joinThreads();
        }
        catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
        assertNull(pool.failure(), "what a worker or fallback thread threw");
    }

    /**
     * No count left its range on the way, and every thread has left the retired pool: nothing is
     * counted any more.
     */
    private static void assertWorkersWithin(ModelPool pool, int most) {
        Handoff<Task, ModelPool.ModelWorker> handoff = pool.handoff;
        assertTrue(pool.fewestWorkers() >= 0, "fewest workers counted: " + pool.fewestWorkers());
        assertTrue(pool.mostWorkers() <= most, "most workers counted: " + pool.mostWorkers() + ", more than " + most);
        assertTrue(pool.mostStarting() <= 1, "workers being started at once: " + pool.mostStarting());
        assertEquals(0, handoff.workers(), "workers and reservations of a retired pool whose threads left");
        assertEquals(0, handoff.liveCount(), "live workers of a retired pool whose threads left");
        assertEquals(0, handoff.idleCount(), "idle workers of a retired pool whose threads left");
        assertFalse(handoff.spawnPending(), "a spawn pending in a retired pool whose threads left");
    }
}
