package io.lazyworkqueue.benchmarks;

import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.LazyWorkqueue;

/**
 * A round-robin workqueue of either engine, as {@link FlushCost} needs it: where tasks go, its
 * {@code flush()}, and how many CPUs it spreads tasks over.
 */
final class FlushableWorkqueue {

    /** {@code flush()} of either engine. */
    @FunctionalInterface
    private interface Flush {

        void flush() throws InterruptedException;
    }

    private final PeerExecutor executor;

    private final Flush flush;

    private final int cpus;

    private FlushableWorkqueue(PeerExecutor executor, Flush flush, int cpus) {
        this.executor = executor;
        this.flush = flush;
        this.cpus = cpus;
    }

    /**
     * Round robin, so that every CPU has work queued and a flush must wait for each of them.
     * @param peer {@link Peer#LAZY} for the engine on the class path, {@link Peer#LAZY_V1} for v1
     * @return the workqueue over every allowed CPU
     */
    static FlushableWorkqueue roundRobin(Peer peer) {
        PeerSettings settings = PeerSettings.allowedCpus();
        int cpus = settings.cpus().size();
        return switch (peer) {
            case LAZY -> {
                LazyWorkqueue workqueue = settings.lazyWorkqueue("flush").cpuSelection(CpuSelection.ROUND_ROBIN).build();
                yield new FlushableWorkqueue(
                        new PeerExecutor(workqueue, (task, cpu) -> workqueue.executeOn(cpu, task), workqueue),
                        workqueue::flush, cpus);
            }
            case LAZY_V1 -> {
                WorkqueueV1 workqueue = EngineV1.load().open("flush-v1", settings, CpuSelection.ROUND_ROBIN);
                yield new FlushableWorkqueue(new PeerExecutor(workqueue.executor(),
                        (task, cpu) -> workqueue.executeOn(cpu, task), workqueue.executor()), workqueue::flush, cpus);
            }
            default -> throw new IllegalArgumentException(peer + " is not a lazy workqueue with a flush()");
        };
    }

    /** @return where tasks go; closing it closes the workqueue */
    PeerExecutor executor() {
        return executor;
    }

    /**
     * Waits until every task queued before the call has run.
     * @throws InterruptedException if the calling thread is interrupted
     */
    void flush() throws InterruptedException {
        flush.flush();
    }

    /** @return how many CPUs the workqueue has */
    int cpus() {
        return cpus;
    }
}
