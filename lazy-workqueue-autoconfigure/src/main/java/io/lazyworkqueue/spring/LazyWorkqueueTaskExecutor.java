package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lazyworkqueue.LazyWorkqueue;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

/**
 * A {@link LazyWorkqueue} as a Spring {@link AsyncTaskExecutor}, with the lifecycle of Spring's
 * own executors ({@link ExecutorConfigurationSupport}): tasks pass through the
 * {@link TaskDecorator}, refusals become {@link TaskRejectedException}s, the workqueue stops
 * taking tasks when the application context closes (unless
 * {@link #setAcceptTasksAfterContextClose accepting tasks after close}), a context stop pauses
 * it and a start resumes it, and destruction gives queued and running work one await period.
 * Work still queued after that is dropped and its {@link Future}s are cancelled; running work is
 * interrupted; one warning counts both, only when there was any.
 *
 * <p>Where it differs from {@code ThreadPoolTaskExecutor}:
 * <ul>
 * <li>{@link #setWaitForTasksToCompleteOnShutdown waitForTasksToCompleteOnShutdown} is
 * {@code true} by default, and does not make the executor accept tasks after the context closes:
 * only {@link #setAcceptTasksAfterContextClose} does.</li>
 * <li>When the await period runs out, what is left is interrupted and dropped instead of left
 * running.</li>
 * <li>A lifecycle stop reports back once the running tasks finish or the await period passes,
 * whichever comes first, so a stuck task holds up the context's stop phase no longer than the
 * period.</li>
 * <li>The futures of {@code submitCompletable} are cancelled too when their tasks are dropped.</li>
 * <li>Pause and resume match Spring's point by point, without a lock that every task takes.</li>
 * <li>The workqueue owns its threads, so the thread settings of Spring's base class
 * ({@link #setThreadFactory}, {@link #setVirtualThreads}, {@link #setRejectedExecutionHandler},
 * {@link #setThreadNamePrefix}, priority, daemon, thread group) throw
 * {@link UnsupportedOperationException}: set them on the {@link LazyWorkqueue.Builder}
 * instead.</li>
 * </ul>
 */
@SuppressWarnings("serial") // Spring's thread-creating base class is Serializable; an executor is never serialized.
public final class LazyWorkqueueTaskExecutor extends ExecutorConfigurationSupport implements AsyncTaskExecutor {

    private static final String OWN_THREADS = "the workqueue creates its own threads; set ";

    private final LazyWorkqueue workqueue;

    private final @Nullable TaskDecorator taskDecorator;

    private final PauseGate gate;

    private @Nullable ApplicationContext applicationContext;

    private volatile boolean acceptTasksAfterContextClose;

    /** Set when the context closes while tasks are still accepted: lifecycle stops then pass by. */
    private volatile boolean lateShutdown;

    private volatile Duration awaitTerminationPeriod;

    private volatile boolean waitForTasksToCompleteOnShutdown = true;

    private final Object deadlineLock = new Object();

    /** When the await period that began with the first shutdown signal ends; null before that signal. */
    private @Nullable Long shutdownDeadlineNanos;

    private boolean initialized;

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
        this(workqueue, taskDecorator, awaitTerminationPeriod, false);
    }

    /**
     * @param workqueue the workqueue to run tasks on
     * @param taskDecorator applied to every task, or {@code null} for none
     * @param awaitTerminationPeriod how long queued and running work may take once the context
     * closes before it is interrupted and dropped
     * @param acceptTasksAfterContextClose whether the workqueue keeps taking tasks after the
     * context starts closing, until it is destroyed
     */
    public LazyWorkqueueTaskExecutor(LazyWorkqueue workqueue, @Nullable TaskDecorator taskDecorator,
            Duration awaitTerminationPeriod, boolean acceptTasksAfterContextClose) {
        this.workqueue = workqueue;
        this.taskDecorator = taskDecorator;
        this.gate = new PauseGate((long) workqueue.config().cpus().size() * workqueue.config().maxActive(),
                workqueue::isShutdown);
        this.awaitTerminationPeriod = checkPeriod(awaitTerminationPeriod);
        super.setAwaitTerminationMillis(awaitTerminationPeriod.toMillis());
        this.acceptTasksAfterContextClose = acceptTasksAfterContextClose;
        super.setAcceptTasksAfterContextClose(acceptTasksAfterContextClose);
        // Marks the prefix as set, so that initialize() does not name threads after the bean.
        super.setThreadNamePrefix(workqueue.config().threadNamePrefix());
        // Ready without a container, as the workqueue is; the container's initialize() is then a no-op.
        initialize();
    }

    /** @return the workqueue, for {@code executeOn}, {@code flush} and {@code snapshot} */
    public LazyWorkqueue getWorkqueue() {
        return workqueue;
    }

    /** @return how long queued and running work may take once shutdown begins */
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
            workqueue.execute(wrap(task));
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
            workqueue.executeOn(cpu, wrap(task));
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

    private Runnable wrap(Runnable task) {
        return new DecoratedTask(task, taskDecorator != null ? taskDecorator.decorate(task) : task, this);
    }

    /** Holds a task while the executor is paused, and counts it as running for a lifecycle stop. */
    void beforeTask() {
        gate.enter();
    }

    void afterTask() {
        gate.exit();
    }

    @Override
    protected ExecutorService initializeExecutor(ThreadFactory threadFactory,
            RejectedExecutionHandler rejectedExecutionHandler) {
        return workqueue;
    }

    /** Sets the executor up once; the container's call after the constructor's does nothing. */
    @Override
    public void initialize() {
        if (!initialized) {
            initialized = true;
            super.initialize();
        }
    }

    /**
     * Sets whether queued tasks still run once shutdown begins ({@code true}, the default), or are
     * dropped at once ({@code false}); either way the await period bounds the wait.
     */
    @Override
    public void setWaitForTasksToCompleteOnShutdown(boolean waitForTasksToCompleteOnShutdown) {
        // Not passed on: Spring's base class would take it as accepting tasks after close.
        this.waitForTasksToCompleteOnShutdown = waitForTasksToCompleteOnShutdown;
    }

    /** Sets the await period in seconds; see {@link #setAwaitTerminationMillis(long)}. */
    @Override
    public void setAwaitTerminationSeconds(int awaitTerminationSeconds) {
        setAwaitTerminationMillis(TimeUnit.SECONDS.toMillis(awaitTerminationSeconds));
    }

    /**
     * Sets how long queued and running work may take once shutdown begins, before running tasks
     * are interrupted and queued ones dropped.
     * @throws IllegalArgumentException if negative
     */
    @Override
    public void setAwaitTerminationMillis(long awaitTerminationMillis) {
        awaitTerminationPeriod = checkPeriod(Duration.ofMillis(awaitTerminationMillis));
        super.setAwaitTerminationMillis(awaitTerminationMillis);
    }

    private static Duration checkPeriod(Duration period) {
        if (period.isNegative()) {
            throw new IllegalArgumentException("The await termination period must not be negative, was " + period);
        }
        return period;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
        super.setApplicationContext(applicationContext);
    }

    @Override
    public void setAcceptTasksAfterContextClose(boolean acceptTasksAfterContextClose) {
        this.acceptTasksAfterContextClose = acceptTasksAfterContextClose;
        super.setAcceptTasksAfterContextClose(acceptTasksAfterContextClose);
    }

    /**
     * Shuts the workqueue down early when its context closes, unless it accepts tasks after
     * context close, as Spring's executors do.
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == applicationContext && acceptTasksAfterContextClose) {
            lateShutdown = true;
        }
        super.onApplicationEvent(event);
    }

    /** Stops taking tasks; queued and running ones go on, paused or not. The await period starts now. */
    @Override
    public void initiateShutdown() {
        startAwaitPeriod();
        super.initiateShutdown();
        gate.release();
    }

    private long startAwaitPeriod() {
        synchronized (deadlineLock) {
            if (shutdownDeadlineNanos == null) {
                shutdownDeadlineNanos = System.nanoTime() + awaitTerminationPeriod.toNanos();
            }
            return shutdownDeadlineNanos;
        }
    }

    /** @return the end of the await period if shutdown has begun, else of one that began now */
    private long awaitDeadline() {
        synchronized (deadlineLock) {
            return shutdownDeadlineNanos != null ? shutdownDeadlineNanos
                    : System.nanoTime() + awaitTerminationPeriod.toNanos();
        }
    }

    /** Resumes the executor if paused: held tasks start. */
    @Override
    public void start() {
        gate.start();
    }

    /** Pauses the executor: tasks not yet started wait for {@link #start()} or shutdown. */
    @Override
    public void stop() {
        if (!lateShutdown) {
            gate.stop();
        }
    }

    /**
     * Pauses the executor and reports back once its running tasks have finished, or once the await
     * period has passed, whichever comes first.
     */
    @Override
    public void stop(Runnable callback) {
        if (lateShutdown) {
            callback.run();
            return;
        }
        AtomicBoolean reported = new AtomicBoolean();
        Runnable once = () -> {
            if (reported.compareAndSet(false, true)) {
                callback.run();
            }
        };
        gate.stop(once);
        if (reported.get()) {
            return;
        }
        long remaining = Math.max(0, awaitDeadline() - System.nanoTime());
        // The JDK's one shared delay thread, rather than a thread per queue.
        CompletableFuture.delayedExecutor(remaining, TimeUnit.NANOSECONDS).execute(once);
    }

    /** @return whether the executor is neither paused nor terminated */
    @Override
    public boolean isRunning() {
        return !gate.isPaused() && !workqueue.isTerminated();
    }

    /**
     * Shuts the workqueue down and gives its work what is left of the await period, the first
     * time only: a later or concurrent caller waits for that first shutdown to end instead.
     */
    @Override
    public void shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        try {
            long deadline = startAwaitPeriod();
            List<Runnable> dropped = new ArrayList<>();
            int interrupted = 0;
            if (waitForTasksToCompleteOnShutdown) {
                workqueue.shutdown();
            }
            else {
                interrupted = workqueue.snapshot().active();
                dropped.addAll(workqueue.shutdownNow());
            }
            // Tasks held by a pause are accepted work: they get the await period like the rest.
            gate.release();
            boolean terminated = awaitTermination(deadline);
            if (!terminated && interrupted == 0) {
                // Some may finish between the count and the interrupt: the count is of those
                // running when the period ran out.
                interrupted = workqueue.snapshot().active();
            }
            // Empty after a normal termination; a workqueue whose manager thread died holds its
            // queued tasks for this call.
            dropped.addAll(workqueue.shutdownNow());
            dropped.forEach(this::cancel);
            warnOfLostWork(dropped.size(), interrupted);
        }
        finally {
            stopped.countDown();
        }
    }

    private boolean awaitTermination(long deadline) {
        try {
            return workqueue.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return workqueue.isTerminated();
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

    private void warnOfLostWork(int dropped, int interrupted) {
        List<String> lost = new ArrayList<>(2);
        if (dropped > 0) {
            lost.add(dropped + " queued task(s) were dropped");
        }
        if (interrupted > 0) {
            lost.add("running tasks were interrupted (" + interrupted + " running "
                    + (waitForTasksToCompleteOnShutdown ? "when the period ran out" : "at shutdown") + ")");
        }
        if (lost.isEmpty()) {
            return;
        }
        String coreFailure = workqueue.coreFailure();
        String why = coreFailure != null ? "lost its manager thread (" + coreFailure + ")"
                : waitForTasksToCompleteOnShutdown
                        ? "did not finish its work within " + awaitTerminationPeriod + " of shutdown"
                        : "was shut down without waiting for its tasks";
        logger.warn("Workqueue '" + workqueue.name() + "' " + why + ": " + String.join(" and ", lost));
    }

    /**
     * Cancels the futures of a task that will never run, both what the decorator made of it and
     * what its submitter holds, so that nobody waits for it forever.
     */
    private void cancel(Runnable dropped) {
        if (dropped instanceof DecoratedTask task) {
            cancelFuture(task.decorated);
            cancelFuture(task.original);
        }
        else {
            cancelFuture(dropped);
        }
    }

    private void cancelFuture(Runnable task) {
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

    /** @throws UnsupportedOperationException always: the workqueue creates its own threads */
    @Override
    public void setThreadFactory(@Nullable ThreadFactory threadFactory) {
        throw unsupported("LazyWorkqueue.Builder.threadFactory instead");
    }

    /** @throws UnsupportedOperationException always: workers are platform threads, pinned to CPUs */
    @Override
    public void setVirtualThreads(boolean virtualThreads) {
        throw new UnsupportedOperationException("A workqueue's workers are platform threads, one set per CPU, which"
                + " pinning needs; virtual threads are not available");
    }

    /** @throws UnsupportedOperationException always: the workqueue's rejection policy applies */
    @Override
    public void setRejectedExecutionHandler(@Nullable RejectedExecutionHandler rejectedExecutionHandler) {
        throw new UnsupportedOperationException("A workqueue applies its own rejection policy; set"
                + " lazy-workqueue.queues.<name>.rejection or LazyWorkqueue.Builder.rejection instead");
    }

    /** @throws UnsupportedOperationException always: the workqueue names its own threads */
    @Override
    public void setThreadNamePrefix(@Nullable String threadNamePrefix) {
        throw unsupported("lazy-workqueue.queues.<name>.thread-name-prefix or LazyWorkqueue.Builder.threadNamePrefix"
                + " instead");
    }

    /** @throws UnsupportedOperationException always: the workqueue creates its own threads */
    @Override
    public void setThreadPriority(int threadPriority) {
        throw unsupported("a thread factory with LazyWorkqueue.Builder.threadFactory instead");
    }

    /** @throws UnsupportedOperationException always: the workqueue creates its own threads */
    @Override
    public void setDaemon(boolean daemon) {
        throw unsupported("a thread factory with LazyWorkqueue.Builder.threadFactory instead");
    }

    /** @throws UnsupportedOperationException always: the workqueue creates its own threads */
    @Override
    public void setThreadGroupName(String name) {
        throw unsupported("a thread factory with LazyWorkqueue.Builder.threadFactory instead");
    }

    /** @throws UnsupportedOperationException always: the workqueue creates its own threads */
    @Override
    public void setThreadGroup(@Nullable ThreadGroup threadGroup) {
        throw unsupported("a thread factory with LazyWorkqueue.Builder.threadFactory instead");
    }

    /** @throws UnsupportedOperationException always: the workqueue creates its own threads */
    @Override
    public Thread newThread(Runnable runnable) {
        throw new UnsupportedOperationException("A workqueue creates its own threads; it is no thread factory");
    }

    /** @throws UnsupportedOperationException always: the workqueue creates its own threads */
    @Override
    public Thread createThread(Runnable runnable) {
        throw new UnsupportedOperationException("A workqueue creates its own threads; it is no thread factory");
    }

    private static UnsupportedOperationException unsupported(String instead) {
        return new UnsupportedOperationException(OWN_THREADS + instead);
    }

    @Override
    public String toString() {
        return "LazyWorkqueueTaskExecutor[" + workqueue.name() + "]";
    }
}
