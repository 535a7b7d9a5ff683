package io.lazyworkqueue;

/**
 * A task in a queue. Entries compare by identity: the same task queued twice is two entries, and
 * taking one back must not take the other.
 */
final class Work {

    final Runnable task;

    /** The workqueue's CPU the task was queued on. */
    final CpuSlot slot;

    /** The flush generation it was queued in. */
    final int generation;

    /** Whether a timing listener was set when it was queued; only then is {@link #queuedNanos} read. */
    final boolean timed;

    /** When it was queued, by the workqueue's clock. */
    final long queuedNanos;

    Work(Runnable task, CpuSlot slot, int generation, boolean timed, long queuedNanos) {
        this.task = task;
        this.slot = slot;
        this.generation = generation;
        this.timed = timed;
        this.queuedNanos = queuedNanos;
    }
}
