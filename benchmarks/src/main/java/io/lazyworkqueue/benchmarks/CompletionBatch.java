package io.lazyworkqueue.benchmarks;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Submits a batch of identical tiny tasks and parks until the last one has run, so that a
 * measurement covers completion and not only submission: a peer whose queue merely grows cannot
 * look fast. The task object is reused, so the producer side allocates nothing and every
 * allocation measured is the executor's own.
 *
 * <p>The submitter parks rather than spins: on a 2-core machine a spinning submitter would take
 * the CPU that a worker pinned to the submitter's CPU needs.
 */
final class CompletionBatch {

    private final AtomicInteger remaining = new AtomicInteger();

    private volatile @Nullable Thread waiter;

    private final Runnable task;

    /**
     * @param workTokens the work in each task, in {@link Blackhole#consumeCPU} tokens; 0 for none
     */
    CompletionBatch(long workTokens) {
        this.task = () -> {
            if (workTokens > 0) {
                Blackhole.consumeCPU(workTokens);
            }
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        };
    }

    /**
     * Submits {@code size} tasks and returns once all of them have run.
     * @param executor where the tasks go
     * @param size how many tasks, at least one
     */
    void run(Executor executor, int size) {
        submit(executor, size);
        await();
    }

    /**
     * Submits {@code size} tasks; {@link #await} then waits for them. The previous batch must have
     * finished.
     * @param executor where the tasks go
     * @param size how many tasks, at least one
     */
    void submit(Executor executor, int size) {
        waiter = Thread.currentThread();
        // Set before the first submit: an early task must not see zero and wake nobody too soon.
        remaining.set(size);
        for (int i = 0; i < size; i++) {
            executor.execute(task);
        }
    }

    /** Returns once every task of the last {@link #submit} has run; at once if there was none. */
    void await() {
        while (remaining.get() > 0) {
            LockSupport.park(this);
        }
    }
}
