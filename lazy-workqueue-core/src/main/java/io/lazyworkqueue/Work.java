package io.lazyworkqueue;

/**
 * A task in a CPU's queue.
 * @param task what to run
 * @param generation the flush generation it was queued in
 */
record Work(Runnable task, int generation) {
}
