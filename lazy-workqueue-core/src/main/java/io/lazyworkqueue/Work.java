package io.lazyworkqueue;

/**
 * A task in a CPU's queue. Entries compare by identity: the same task queued twice is two
 * entries, and taking one back must not take the other.
 */
final class Work {

    final Runnable task;

    /** The flush generation it was queued in. */
    final int generation;

    /** Whether a timing listener was set when it was queued; only then is {@link #queuedNanos} read. */
    final boolean timed;

    /** When it was queued, by the workqueue's clock. */
    final long queuedNanos;

    Work(Runnable task, int generation, boolean timed, long queuedNanos) {
        this.task = task;
        this.generation = generation;
        this.timed = timed;
        this.queuedNanos = queuedNanos;
    }
}
