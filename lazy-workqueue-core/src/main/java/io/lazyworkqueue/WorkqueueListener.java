package io.lazyworkqueue;

/**
 * Receives a workqueue's thread lifecycle events as they happen, on the thread that caused them.
 * Implementations must be fast and must not block; an exception they throw is logged and ignored.
 */
@FunctionalInterface
public interface WorkqueueListener {

    /**
     * @param workqueue the name of the workqueue
     * @param event what happened
     */
    void onEvent(String workqueue, WorkqueueEvent event);
}
