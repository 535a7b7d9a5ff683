package io.lazyworkqueue;

/** The stand-in where pinning is unavailable: every CPU the JVM counts, nothing pinned. */
final class UnpinnedAffinity implements Affinity {

    private final String reason;

    UnpinnedAffinity(String reason) {
        this.reason = reason;
    }

    @Override
    public CpuSet allowedCpus() {
        return CpuSet.firstN(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void pinCurrentThread(int cpu) {
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
