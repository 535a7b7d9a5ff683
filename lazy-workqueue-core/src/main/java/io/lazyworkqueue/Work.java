package io.lazyworkqueue;

/**
 * A task in a CPU's queue.
 * @param task what to run
 * @param generation the flush generation it was queued in
 * @param queuedNanos when it was queued, by the workqueue's clock; 0 when nobody times tasks
 */
record Work(Runnable task, int generation, long queuedNanos) {
}
