package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stand-in where pinning is unavailable: every CPU the JVM counts, nothing pinned. It warns
 * once, on the first attempt to pin, however many workqueues there are.
 */
final class UnpinnedAffinity implements Affinity {

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    private final String reason;

    private final AtomicBoolean warned = new AtomicBoolean();

    UnpinnedAffinity(String reason) {
        this.reason = reason;
    }

    @Override
    public CpuSet allowedCpus() {
        return CpuSet.firstN(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void pinCurrentThread(int cpu) {
        if (warned.compareAndSet(false, true)) {
            logger.log(System.Logger.Level.WARNING, "Workqueue threads run unpinned: " + reason);
        }
        throw new AffinityException(reason);
    }

    @Override
    public int currentCpu() {
        return -1;
    }

    @Override
    public String unavailableReason() {
        return reason;
    }
}
