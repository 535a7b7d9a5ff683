package io.lazyworkqueue;

/** The kinds of thread lifecycle events a workqueue reports. */
public enum WorkqueueEventType {

    /** Work arrived for a CPU whose pool has no worker, and one was asked for. */
    SPAWN_REQUESTED,

    /** A worker started for a CPU's pool. */
    SPAWNED,

    /** A thread pinned itself to its CPU. */
    PINNED,

    /** A thread could not pin itself and runs unpinned; the detail says why. */
    PIN_FAILED,

    /** A worker could not be created; the detail names the error. */
    SPAWN_FAILED,

    /** The manager thread ran a CPU's queued work itself because no worker could be created. */
    FALLBACK_RUN,

    /** A worker exited after it had been idle for the idle timeout. */
    IDLE_EXIT,

    /** A worker exited because the workqueue shut down. */
    SHUTDOWN_EXIT,

    /**
     * Work has waited in a CPU's queue while no task of that CPU finished for the watchdog
     * threshold; the detail says how much and for how long.
     */
    STALLED,

    /** A worker died of an error outside its tasks, such as a failing clock; the detail names it. */
    WORKER_FAILED,

    /**
     * The manager thread died of an error outside user tasks and callbacks, such as a failing clock;
     * the workqueue stops and hands back its queued work. The detail names the error.
     */
    CORE_FAILED
}
