package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

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
 */
public final class LazyWorkqueueTaskExecutor implements AsyncTaskExecutor, SmartLifecycle, DisposableBean {

    private static final Log logger = LogFactory.getLog(LazyWorkqueueTaskExecutor.class);

    private final LazyWorkqueue workqueue;

    private final @Nullable TaskDecorator taskDecorator;

    private final Duration awaitTerminationPeriod;

    private volatile boolean running;

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

    private Runnable decorate(Runnable task) {
        return taskDecorator != null ? taskDecorator.decorate(task) : task;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        workqueue.shutdown();
        awaitTermination();
    }

    /**
     * Stops accepting work and reports back once the work has finished or the await period has
     * passed, without holding up other executors that stop in the same phase.
     */
    @Override
    public void stop(Runnable callback) {
        running = false;
        workqueue.shutdown();
        Thread waiter = new Thread(() -> {
            try {
                awaitTermination();
            }
            finally {
                callback.run();
            }
        }, workqueue.config().threadNamePrefix() + "shutdown");
        waiter.setDaemon(true);
        waiter.start();
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

    @Override
    public void destroy() {
        if (!workqueue.isTerminated()) {
            workqueue.shutdown();
            awaitTermination();
        }
    }

    private void awaitTermination() {
        try {
            if (workqueue.awaitTermination(awaitTerminationPeriod.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        int stillRunning = workqueue.snapshot().active();
        List<Runnable> dropped = workqueue.shutdownNow();
        logger.warn("Workqueue '" + workqueue.name() + "' did not finish its work within " + awaitTerminationPeriod
                + " of shutdown: " + dropped.size() + " queued task(s) were dropped and " + stillRunning
                + " running task(s) were interrupted");
    }

    @Override
    public String toString() {
        return "LazyWorkqueueTaskExecutor[" + workqueue.name() + "]";
    }
}
