package io.lazyworkqueue.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjIntConsumer;

/**
 * One started peer, whatever its API: tasks go in through {@link #execute} or, where the peer has
 * per-CPU queues, {@link #executeOn}; {@link #close} stops its threads and waits for them.
 */
final class PeerExecutor implements Executor, AutoCloseable {

    private final Executor executor;

    private final ObjIntConsumer<Runnable> executorOnCpu;

    private final ExecutorService lifecycle;

    /**
     * @param executor where {@link #execute} sends tasks
     * @param executorOnCpu where {@link #executeOn} sends tasks; peers without per-CPU queues
     * ignore the CPU
     * @param lifecycle what {@link #close} shuts down
     */
    PeerExecutor(Executor executor, ObjIntConsumer<Runnable> executorOnCpu, ExecutorService lifecycle) {
        this.executor = executor;
        this.executorOnCpu = executorOnCpu;
        this.lifecycle = lifecycle;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    /**
     * @param cpu the CPU whose queue gets the task, where the peer has one per CPU
     * @param task the task
     */
    void executeOn(int cpu, Runnable task) {
        executorOnCpu.accept(task, cpu);
    }

    @Override
    public void close() {
        lifecycle.shutdown();
        try {
            if (!lifecycle.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(lifecycle + " did not terminate within 30 s");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing " + lifecycle, ex);
        }
    }
}
