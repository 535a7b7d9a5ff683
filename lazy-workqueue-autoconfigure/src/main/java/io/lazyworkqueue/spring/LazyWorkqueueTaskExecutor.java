package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lazyworkqueue.LazyWorkqueue;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

/**
 * A {@link LazyWorkqueue} as a Spring {@link AsyncTaskExecutor}: tasks pass through the
 * {@link TaskDecorator}, refusals become {@link TaskRejectedException}s, and the workqueue stops
 * with the application context, letting queued and running work finish within the await period.
 * Work still queued when the period has passed is dropped and its {@link Future}s are cancelled,
 * as Spring's own executors do; running work is interrupted.
 */
public final class LazyWorkqueueTaskExecutor implements AsyncTaskExecutor, SmartLifecycle, DisposableBean {

    private static final Log logger = LogFactory.getLog(LazyWorkqueueTaskExecutor.class);

    private final LazyWorkqueue workqueue;

    private final @Nullable TaskDecorator taskDecorator;

    private final Duration awaitTerminationPeriod;

    private volatile boolean running;

    /** Set by whoever shuts the workqueue down and waits for it, which happens only once. */
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** Released once that wait, and the dropping of what was left, is over. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param workqueue the workqueue to run tasks on
     * @param taskDecorator applied to every task, or {@code null} for none
     * @param awaitTerminationPeriod how long queued and running work may take once the context
     * closes before it is interrupted and dropped
     */
    public LazyWorkqueueTaskExecutor(LazyWorkqueue workqueue, @Nullable TaskDecorator taskDecorator,
            Duration awaitTerminationPeriod) {
        this.workqueue = workqueue;
        this.taskDecorator = taskDecorator;
        this.awaitTerminationPeriod = awaitTerminationPeriod;
    }

    /** @return the workqueue, for {@code executeOn}, {@code flush} and {@code snapshot} */
    public LazyWorkqueue getWorkqueue() {
        return workqueue;
    }

    /** @return how long queued and running work may take once the context closes */
    public Duration getAwaitTerminationPeriod() {
        return awaitTerminationPeriod;
    }

    /**
     * Queues a task on the CPU the workqueue's CPU selection picks.
     * @throws TaskRejectedException if the workqueue has stopped or the CPU's queue is full
     */
    @Override
    public void execute(Runnable task) {
        try {
            workqueue.execute(decorate(task));
        }
        catch (RejectedExecutionException ex) {
            throw new TaskRejectedException(String.valueOf(ex.getMessage()), ex);
        }
    }

    /**
     * Queues a task on a given CPU, through the task decorator.
     * @param cpu one of the workqueue's CPUs
     * @param task the task
     * @throws TaskRejectedException if the workqueue has stopped or the CPU's queue is full
     */
    public void executeOn(int cpu, Runnable task) {
        try {
            workqueue.executeOn(cpu, decorate(task));
        }
        catch (RejectedExecutionException ex) {
            throw new TaskRejectedException(String.valueOf(ex.getMessage()), ex);
        }
    }

    /**
     * Queues a task whose future completes with its outcome; the task does not run if the future
     * is cancelled before its turn.
     * @throws TaskRejectedException if the workqueue has stopped or the CPU's queue is full
     */
    @Override
    public CompletableFuture<Void> submitCompletable(Runnable task) {
        return submitCompletable(Executors.callable(task, null));
    }

    /**
     * Queues a task whose future completes with its result or exception; the task does not run
     * if the future is cancelled before its turn.
     * @throws TaskRejectedException if the workqueue has stopped or the CPU's queue is full
     */
    @Override
    public <T> CompletableFuture<T> submitCompletable(Callable<T> task) {
        CompletableTask<T> completable = new CompletableTask<>(task);
        execute(completable);
        return completable.future;
    }

    private Runnable decorate(Runnable task) {
        if (taskDecorator == null) {
            return task;
        }
        Runnable decorated = taskDecorator.decorate(task);
        return decorated == task ? task : new DecoratedTask(task, decorated);
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        stopOnce();
    }

    /**
     * Stops accepting work and reports back once the work has finished or the await period has
     * passed, without holding up other executors that stop in the same phase.
     */
    @Override
    public void stop(Runnable callback) {
        running = false;
        workqueue.shutdown();
        Runnable waitThenReport = () -> {
            try {
                stopOnce();
            }
            finally {
                callback.run();
            }
        };
        try {
            Thread waiter = new Thread(waitThenReport, workqueue.config().threadNamePrefix() + "shutdown");
            waiter.setDaemon(true);
            waiter.start();
        }
        catch (Throwable ex) {
            // No thread to wait on (a thread limit): wait here, so that the callback still runs.
            waitThenReport.run();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** @return the phase of Spring's own executors: they stop late, after their users */
    @Override
    public int getPhase() {
        return ExecutorConfigurationSupport.DEFAULT_PHASE;
    }

    /** Stops the workqueue as {@link #stop()} does, unless a stop has already done so. */
    @Override
    public void destroy() {
        running = false;
        stopOnce();
    }

    /**
     * Shuts the workqueue down and gives its work the await period, the first time only: a later
     * or concurrent caller waits for that first stop to end instead of waiting out the period again.
     */
    private void stopOnce() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        try {
            workqueue.shutdown();
            awaitTerminationOrDrop();
        }
        finally {
            stopped.countDown();
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitTerminationOrDrop() {
        boolean terminated = false;
        try {
            terminated = workqueue.awaitTermination(awaitTerminationPeriod.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        int runningAtDeadline = terminated ? 0 : workqueue.snapshot().active();
        // Empty after a normal termination; a workqueue whose core thread died holds its queued
        // tasks for this call.
        List<Runnable> dropped = workqueue.shutdownNow();
        dropped.forEach(LazyWorkqueueTaskExecutor::cancel);
        List<String> lost = new ArrayList<>(2);
        if (!dropped.isEmpty()) {
            lost.add(dropped.size() + " queued task(s) were dropped");
        }
        if (runningAtDeadline > 0) {
            // Some of them may finish between the count and the interrupt, so the count is not
            // given as the number interrupted.
            lost.add("running tasks were interrupted (" + runningAtDeadline + " running when the period ran out)");
        }
        if (!lost.isEmpty()) {
            String coreFailure = workqueue.snapshot().coreFailure();
            String why = coreFailure != null ? "lost its core thread (" + coreFailure + ")"
                    : "did not finish its work within " + awaitTerminationPeriod + " of shutdown";
            logger.warn("Workqueue '" + workqueue.name() + "' " + why + ": " + String.join(" and ", lost));
        }
    }

    /**
     * Cancels the futures of a task that will never run, both what the decorator made of it and
     * what its submitter holds, so that nobody waits for it forever.
     */
    private static void cancel(Runnable dropped) {
        if (dropped instanceof DecoratedTask task) {
            cancelFuture(task.decorated);
            cancelFuture(task.original);
        }
        else {
            cancelFuture(dropped);
        }
    }

    private static void cancelFuture(Runnable task) {
        try {
            if (task instanceof Future<?> future) {
                future.cancel(true);
            }
            else if (task instanceof CompletableTask<?> completable) {
                completable.future.cancel(true);
            }
        }
        catch (Throwable ex) {
            // A future's own completion hook failed; the other futures must still be cancelled.
            logger.warn("Cancelling the future of dropped task " + task + " failed", ex);
        }
    }

    @Override
    public String toString() {
        return "LazyWorkqueueTaskExecutor[" + workqueue.name() + "]";
    }
}
