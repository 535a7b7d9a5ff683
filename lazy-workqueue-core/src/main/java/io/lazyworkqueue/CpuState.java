package io.lazyworkqueue;

/** What one CPU of a workqueue is doing. */
public enum CpuState {

    /** No thread: nothing has been queued lately. */
    NO_THREAD,

    /** Work is queued and a worker is being started for the CPU's pool. */
    STARTING,

    /** At least one worker is running a task. */
    RUNNING,

    /** Every worker waits for work; each exits at its idle timeout. */
    IDLE,

    /** The manager thread runs this CPU's work because no worker could be created. */
    FALLBACK
}
