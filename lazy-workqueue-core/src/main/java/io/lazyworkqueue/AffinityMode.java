package io.lazyworkqueue;

/** Whether a workqueue pins its threads to their CPUs. */
public enum AffinityMode {

    /**
     * Each worker pins itself to its CPU; the manager thread runs on every CPU. Where pinning is not
     * possible (not Linux, no JNA, a CPU outside the cpuset) threads run unpinned and a
     * {@link WorkqueueEventType#PIN_FAILED} event says why.
     */
    STRICT,

    /**
     * Threads are not pinned: a CPU id only names a queue and its workers. CPU ids need not exist
     * on the machine, which lets a workqueue model more CPUs than the machine has.
     */
    NONE
}
