package io.lazyworkqueue.spring;


/**
 * What the executor queues for a task: what the task decorator made of it, run between the
 * executor's pause and stop hooks, together with the task it was given, so that a task handed back
 * by {@code shutdownNow()} leads to the {@code Future} its submitter holds.
 */
final class DecoratedTask implements Runnable {

    final Runnable original;

    final Runnable decorated;

    private final LazyWorkqueueTaskExecutor executor;

    DecoratedTask(Runnable original, Runnable decorated, LazyWorkqueueTaskExecutor executor) {
        this.original = original;
        this.decorated = decorated;
        this.executor = executor;
    }

    @Override
    public void run() {
        executor.beforeTask();
        try {
            decorated.run();
        }
        finally {
            executor.afterTask();
        }
    }

    @Override
    public String toString() {
        return decorated.toString();
    }
}
