package io.lazyworkqueue.benchmarks;

import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * One workqueue of the v1 engine: the {@link ExecutorService} it is, and its {@code executeOn},
 * {@code flush} and snapshot through method handles bound to it, so that a task costs no
 * reflective lookup.
 */
final class WorkqueueV1 {

    private final ExecutorService workqueue;

    private final MethodHandle executeOn;

    private final MethodHandle flush;

    private final MethodHandle snapshot;

    private final MethodHandle snapshotCpus;

    private final MethodHandle cpuThreads;

    /**
     * @param workqueue the workqueue
     * @param executeOn its {@code executeOn(int, Runnable)}, bound to it
     * @param flush its {@code flush()}, bound to it
     * @param snapshot its {@code snapshot()}, bound to it
     * @param snapshotCpus {@code WorkqueueSnapshot.cpus()}
     * @param cpuThreads {@code CpuSnapshot.threads()}
     */
    WorkqueueV1(ExecutorService workqueue, MethodHandle executeOn, MethodHandle flush, MethodHandle snapshot,
            MethodHandle snapshotCpus, MethodHandle cpuThreads) {
        this.workqueue = workqueue;
        this.executeOn = executeOn;
        this.flush = flush;
        this.snapshot = snapshot;
        this.snapshotCpus = snapshotCpus;
        this.cpuThreads = cpuThreads;
    }

    /** @return the workqueue, whose {@code execute} picks the CPU as v1's {@code LOCAL} selection does */
    ExecutorService executor() {
        return workqueue;
    }

    /**
     * @param cpu one of the workqueue's CPUs
     * @param task the task
     */
    void executeOn(int cpu, Runnable task) {
        try {
            executeOn.invokeExact(cpu, task);
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Waits until every task queued before the call has run.
     * @throws InterruptedException if the calling thread is interrupted
     */
    void flush() throws InterruptedException {
        try {
            flush.invokeExact();
        }
        catch (RuntimeException | Error | InterruptedException ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** @return whether no CPU has a worker thread; the core thread does not count */
    boolean hasNoWorker() {
        try {
            for (Object cpu : (List<?>) snapshotCpus.invoke(snapshot.invoke())) {
                if (!((List<?>) cpuThreads.invoke(cpu)).isEmpty()) {
                    return false;
                }
            }
            return true;
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }
}
