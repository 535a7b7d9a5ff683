package io.lazyworkqueue;

import java.util.concurrent.RejectedExecutionException;

/** What happens to a task submitted while its CPU's queue is at capacity. */
public enum RejectionPolicy {

    /** The submitter gets a {@link RejectedExecutionException}. */
    ABORT,

    /** The submitting thread runs the task itself, which slows producers down. */
    CALLER_RUNS,

    /**
     * The submitter waits for room in the queue; it gets a {@link RejectedExecutionException} if
     * it is interrupted or the workqueue shuts down while it waits.
     */
    BLOCK
}
