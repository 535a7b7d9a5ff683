package io.lazyworkqueue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

import static io.lazyworkqueue.ModelThreads.join;
import static io.lazyworkqueue.ModelThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model checks of {@link FlushBarrier}: Lincheck runs each scenario under many interleavings of
 * task threads and flushers and fails with the interleaving that broke an assertion or hung.
 * What a flush saw is judged from outside: a flusher notes which tasks had been queued before it
 * began, and looks whether each of them had finished when the flush returned. The main thread
 * asserts, since Lincheck reports only what fails there.
 */
class FlushBarrierLincheckTests {

    /** Interleavings explored per scenario; see docs/testing.md for what they were seen to find. */
    private static final int INVOCATIONS = 600;

    private static final String ALL_FINISHED = "every task queued before the flush had finished";

    @Test
    void concurrentFlushesEachReturnOnlyOnceEveryTaskQueuedBeforeThemHasFinished() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            AtomicLongArray cpu0 = new AtomicLongArray(2);
            AtomicLongArray cpu1 = new AtomicLongArray(2);
            FlushBarrier barrier = new FlushBarrier(List.of(cpu0, cpu1));
            TrackedTask first = new TrackedTask(barrier, cpu0);
            TrackedTask second = new TrackedTask(barrier, cpu1);

            Thread one = start(first::queueAndRun);
            Thread two = start(second::queueAndRun);
            AtomicReference<String> otherFlushSaw = new AtomicReference<>();
            Thread otherFlusher = start(() -> {
                // A flush that times out leaves tasks counted in the generation it closed.
                flush(barrier, 0);
                otherFlushSaw.set(flushAndLook(barrier, first, second));
            });
            String flushSaw = flushAndLook(barrier, first, second);
            join(one, two, otherFlusher);

            assertEquals(ALL_FINISHED, flushSaw);
            assertEquals(ALL_FINISHED, otherFlushSaw.get(), "the flush after a timed-out one");
        });
    }

    @Test
    void aFlushIsNotHeldUpByTasksQueuedAfterItBegan() {
        Lincheck.runConcurrentTest(INVOCATIONS / 3, () -> {
            AtomicLongArray cpu = new AtomicLongArray(2);
            FlushBarrier barrier = new FlushBarrier(List.of(cpu));
            TrackedTask before = new TrackedTask(barrier, cpu);
            before.queue();
            Flag flushed = new Flag();
            // A stream of tasks that always keeps one queued until the flush has returned: a
            // flush that waited for them too would never return.
            Thread stream = start(() -> {
                int held = barrier.enter(cpu);
                while (!flushed.set) {
                    int next = barrier.enter(cpu);
                    barrier.exit(cpu, held);
                    held = next;
                }
                barrier.exit(cpu, held);
            });
            Thread runner = start(before::run);

            String flushSaw = flushAndLook(barrier, before);
            flushed.set = true;
            join(stream, runner);

            assertEquals(ALL_FINISHED, flushSaw);
        });
    }

    /**
     * Flushes, and then looks whether every task queued before the flush began has finished.
     * @return {@link #ALL_FINISHED}, or which task had not
     */
    private static String flushAndLook(FlushBarrier barrier, TrackedTask... tasks) {
        boolean[] queuedBefore = new boolean[tasks.length];
        for (int i = 0; i < tasks.length; i++) {
            queuedBefore[i] = tasks[i].queued;
        }
        flush(barrier, Long.MAX_VALUE);
        for (int i = 0; i < tasks.length; i++) {
            if (queuedBefore[i] && !tasks[i].finished) {
                return "task " + i + " was queued before the flush began and had not finished when it returned";
            }
        }
        return ALL_FINISHED;
    }

    private static void flush(FlushBarrier barrier, long timeoutNanos) {
        try {
            barrier.flush(timeoutNanos);
        }
        catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }

    private static final class Flag {

        volatile boolean set;
    }

    /** A task as the barrier sees it: counted when queued, released when it finishes. */
    private static final class TrackedTask {

        private final FlushBarrier barrier;

        private final AtomicLongArray cpu;

        private int generation;

        volatile boolean queued;

        volatile boolean finished;

        TrackedTask(FlushBarrier barrier, AtomicLongArray cpu) {
            this.barrier = barrier;
            this.cpu = cpu;
        }

        void queue() {
            generation = barrier.enter(cpu);
            queued = true;
        }

        void run() {
            finished = true;
            barrier.exit(cpu, generation);
        }

        void queueAndRun() {
            queue();
            run();
        }
    }
}
