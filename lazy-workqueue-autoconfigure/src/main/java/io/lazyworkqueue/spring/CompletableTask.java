package io.lazyworkqueue.spring;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A task of {@code submitCompletable}: it completes its future as Spring's
 * {@code FutureUtils.callAsync} does, and does not run once the future is done, for instance
 * cancelled. Unlike the task {@code CompletableFuture.runAsync} queues, it can be found again
 * among the tasks {@code shutdownNow()} hands back.
 */
final class CompletableTask<T> implements Runnable {

    final CompletableFuture<T> future = new CompletableFuture<>();

    private final Callable<T> callable;

    CompletableTask(Callable<T> callable) {
        this.callable = callable;
    }

    @Override
    public void run() {
        if (future.isDone()) {
            return;
        }
        try {
            future.complete(callable.call());
        }
        catch (Throwable ex) {
            future.completeExceptionally(ex instanceof CompletionException ? ex : new CompletionException(ex));
        }
    }

    @Override
    public String toString() {
        return "CompletableTask[" + callable + "]";
    }
}
