package io.lazyworkqueue.spring;

/**
 * What the task decorator made of a task, queued together with the task it was given, so that
 * a task handed back by {@code shutdownNow()} leads to the {@code Future} its submitter holds.
 */
final class DecoratedTask implements Runnable {

    final Runnable original;

    final Runnable decorated;

    DecoratedTask(Runnable original, Runnable decorated) {
        this.original = original;
        this.decorated = decorated;
    }

    @Override
    public void run() {
        decorated.run();
    }

    @Override
    public String toString() {
        return decorated.toString();
    }
}
