package io.lazyworkqueue;

import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

/**
 * The task of recurring work with its {@link Recurrence}, counting its runs. One run at a time
 * writes the counts; snapshots read them from other threads.
 */
final class RecurringTask implements Callable<@Nullable Void> {

    private final Runnable task;

    final Recurrence recurrence;

    private volatile long count;

    private volatile long failures;

    private volatile long lastStartDelayNanos = -1;

    private volatile boolean lastFailed;

    RecurringTask(Runnable task, Recurrence recurrence) {
        this.task = task;
        this.recurrence = recurrence;
    }

    void started(long startDelayNanos) {
        lastStartDelayNanos = startDelayNanos;
    }

    /**
     * RecurringTask the task once; a failure the recurrence goes on after is counted and swallowed, any
     * other is thrown to end the schedule.
     */
    @Override
    public @Nullable Void call() throws Exception {
        boolean failed = true;
        try {
            task.run();
            failed = false;
        }
        catch (Throwable thrown) {
            failures++;
            if (!recurrence.continuesAfter(thrown)) {
                throw thrown instanceof Exception exception ? exception : DelayedWork.rethrown(thrown);
            }
        }
        finally {
            count++;
            lastFailed = failed;
        }
        return null;
    }

    long count() {
        return count;
    }

    long failures() {
        return failures;
    }

    boolean lastFailed() {
        return lastFailed;
    }

    /** @return how late the last run started, or -1 before the first */
    long lastStartDelayNanos() {
        return lastStartDelayNanos;
    }

    @Override
    public String toString() {
        return String.valueOf(recurrence);
    }
}
