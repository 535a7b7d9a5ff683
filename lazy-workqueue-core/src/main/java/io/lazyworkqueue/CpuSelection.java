package io.lazyworkqueue;

/** How {@link LazyWorkqueue#execute(Runnable)} picks the CPU a task is queued on. */
public enum CpuSelection {

    /**
     * The CPU the submitting thread is running on, as the kernel's {@code queue_work} does; a
     * caller on a CPU outside the workqueue's set is mapped onto the set. Without a way to read
     * the current CPU, each submitting thread keeps to one CPU of the set.
     */
    LOCAL,

    /** The workqueue's CPUs in turn. */
    ROUND_ROBIN,

    /**
     * Every task goes to the core CPU and runs in submission order, one at a
     * time, like the kernel's ordered workqueues. Requires a {@code maxActive} of 1.
     */
    ORDERED
}
