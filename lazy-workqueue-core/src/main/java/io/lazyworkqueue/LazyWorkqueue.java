package io.lazyworkqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jspecify.annotations.Nullable;

/**
 * An {@link java.util.concurrent.ExecutorService} with a queue per CPU and worker threads that
 * exist only while there is work. A CPU's tasks run on that CPU's worker pool, which every
 * workqueue with the same thread settings shares (unless it is {@linkplain Builder#dedicated
 * dedicated}): the first task for a CPU starts a worker, the worker pins itself to the CPU, runs
 * the tasks of every workqueue of its pool, and exits once it has been idle for the idle timeout.
 * A pool gains another worker only while work waits and each of its workers is stuck in a task,
 * blocked or running longer than the concurrency threshold. One manager thread, which exists only
 * while it has something to do, adds those workers, fires delayed work, watches for stalls and,
 * if no worker can be created, runs the work itself. An idle application holds no thread of it.
 *
 * <pre>{@code
 * try (LazyWorkqueue rpciod = LazyWorkqueue.builder("rpciod").idleTimeout(Duration.ofSeconds(5)).build()) {
 *     rpciod.executeOn(2, () -> handle(request));
 * }
 * }</pre>
 *
 * <p>Every accepted task runs exactly once, unless {@link #shutdownNow()} hands it back; a task
 * that is not accepted gets a {@link RejectedExecutionException}.
 *
 * <p>A task may wait for work queued behind it ({@code submit(...).get()}, {@code invokeAll}): its
 * blocked worker counts as stuck, and the pool starts another for the inner task, up to the sum
 * of its workqueues' {@code maxActive}. At that cap, or with {@code maxActive} 1, the wait never
 * ends; the stall watchdog reports it.
 */
public final class LazyWorkqueue extends AbstractExecutorService implements AutoCloseable {

    /** The workqueue whose thread is running, so that a task cannot flush the queue it runs on. */
    static final ThreadLocal<LazyWorkqueue> CURRENT = new ThreadLocal<>();

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    /**
     * The longest delay or duration a workqueue counts, about 73 years: longer ones are cut to it,
     * so that now plus any of them cannot overflow.
     */

    private static final int RUNNING = 0;

    private static final int SHUTDOWN = 1;

    private static final int STOP = 2;

    private static final int TERMINATED = 3;

    final WorkqueueConfig config;

    final WorkqueueClock clock;

    final EventLog events;

    final FlushBarrier flushBarrier;

    final Manager manager;

    final Timers timers;

    final long watchdogNanos;

    /** Copied on write: every task reads it, listeners change seldom. */
    final CopyOnWriteArrayList<TaskTimingListener> timingListeners = new CopyOnWriteArrayList<>();

    private final Timebase timebase;

    private final Affinity affinity;

    private final PoolKey poolKey;

    private final CpuSlot[] slots;

    /** Slots by CPU id, {@code null} where the workqueue has no such CPU. */
    private final @Nullable CpuSlot[] slotsByCpu;

    private final CpuSlot coreSlot;

    private final AtomicInteger state = new AtomicInteger(RUNNING);

    private final CountDownLatch termination = new CountDownLatch(1);

    private final AtomicInteger roundRobin = new AtomicInteger();

    private final AtomicBoolean timingFailureLogged = new AtomicBoolean();

    private final AtomicBoolean pinWarningLogged = new AtomicBoolean();

    /** Queued tasks that a dying manager took out of the queues, for the next {@code shutdownNow()}. */
    private final List<Runnable> abandoned = new ArrayList<>();

    /** What killed the manager while it served this workqueue, which stopped it. */
    private volatile @Nullable Throwable managerFailure;

    private LazyWorkqueue(WorkqueueConfig config, WorkqueueClock clock, ThreadFactory threadFactory,
            Affinity affinity, List<WorkqueueListener> listeners) {
        this.config = config;
        this.clock = clock;
        this.affinity = affinity;
        this.watchdogNanos = config.watchdogThreshold().toNanos();
        this.timebase = new Timebase(clock);
        this.events = new EventLog(config.name(), timebase, config.eventHistory());
        listeners.forEach(events::addListener);
        this.slots = config.cpus().stream().mapToObj(cpu -> new CpuSlot(cpu, this)).toArray(CpuSlot[]::new);
        this.slotsByCpu = new CpuSlot[config.cpus().last() + 1];
        List<AtomicLongArray> counters = new ArrayList<>(slots.length);
        for (CpuSlot slot : slots) {
            slotsByCpu[slot.cpu] = slot;
            counters.add(slot.inflight);
        }
        this.coreSlot = Objects.requireNonNull(slotsByCpu[config.coreCpu()]);
        this.flushBarrier = new FlushBarrier(counters);
        this.manager = Manager.of(clock);
        this.timers = new Timers(this);
        this.poolKey = new PoolKey(affinity, clock, config.affinity(), threadFactory, config.idleTimeout().toNanos(),
                config.spawnRetryDelay().toNanos(), config.concurrencyThreshold().toNanos(),
                config.dedicated() ? this : null);
        // Last: from here the pools' threads and the manager see the workqueue.
        for (CpuSlot slot : slots) {
            slot.attach(poolKey);
        }
    }

    /**
     * Starts the definition of a workqueue.
     * @param name the workqueue's name, used in thread names, events and errors: not blank and
     * without control characters such as line breaks or tabs
     * @return a builder with the defaults: every allowed CPU, strict affinity, local CPU
     * selection, at most 16 tasks running per CPU, a 10 second idle timeout, unbounded queues
     * and shared pools
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the settings this workqueue was built with */
    public WorkqueueConfig config() {
        return config;
    }

    /** @return the workqueue's name */
    public String name() {
        return config.name();
    }

    /**
     * Queues a task on the CPU that the {@link CpuSelection} picks: by default, the CPU the
     * calling thread runs on.
     * @throws RejectedExecutionException if the workqueue has shut down, or the CPU's queue is
     * full and the rejection policy refuses the task
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        acceptingSlot(selectSlot()).execute(task);
    }

    /**
     * Queues a task on a given CPU, as the kernel's {@code queue_work_on} does.
     * @param cpu one of the workqueue's CPUs
     * @param task the task
     * @throws IllegalArgumentException if the workqueue has no such CPU, or is ordered and the CPU
     * is not its core CPU
     * @throws RejectedExecutionException as {@link #execute(Runnable)}
     */
    public void executeOn(int cpu, Runnable task) {
        Objects.requireNonNull(task, "task");
        acceptingSlot(slotOf(cpu)).execute(task);
    }

    /**
     * Queues a task on the CPU the {@link CpuSelection} picks now, once the delay has passed. A
     * delay of zero queues it at once.
     * @param task the task
     * @param delay how long to wait, zero or more
     * @return a handle that can cancel the task until it starts
     * @throws IllegalArgumentException if the delay is negative
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        return schedule(selectSlot(), task, delay);
    }

    /**
     * Queues a task on a given CPU once the delay has passed.
     * @param cpu one of the workqueue's CPUs
     * @param task the task
     * @param delay how long to wait, zero or more
     * @return a handle that can cancel the task until it starts
     * @throws IllegalArgumentException if the workqueue has no such CPU or the delay is negative
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    public ScheduledFuture<?> scheduleOn(int cpu, Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        return schedule(slotOf(cpu), task, delay);
    }

    private ScheduledFuture<?> schedule(CpuSlot slot, Runnable task, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive, was " + delay);
        }
        // Capped far beyond any real delay so that deadline arithmetic cannot overflow.
        long delayNanos = FixedPeriod.cappedNanos(delay);
        DelayedWork work = new DelayedWork(task, slot, clock.nanoTime() + delayNanos, timers);
        acceptingSlot(slot);
        if (delay.isZero()) {
            slot.execute(work);
        }
        else {
            timers.schedule(work);
        }
        return work;
    }

    /**
     * Runs a task periodically at a fixed rate: first once the initial delay has passed, then a
     * period after each deadline, as {@link java.util.concurrent.ScheduledExecutorService#scheduleAtFixedRate}.
     * Runs never overlap: a run that starts late or takes longer than the period delays the next,
     * and the deadlines missed meanwhile are made up for by one run at once, not by a burst. Runs
     * go to CPUs as with {@link #schedule(Runnable, Recurrence)}. The schedule ends when it
     * is cancelled, when a run throws (the future then fails with what it threw, the CPU counts the
     * run as failed and the thread's uncaught-exception handler hears of it), or when the
     * workqueue shuts down.
     * @param task the task
     * @param initialDelay how long until the first run, zero or more
     * @param period the time between deadlines, positive
     * @return a handle that ends the schedule; it completes only when the schedule ends
     * @throws IllegalArgumentException if the initial delay is negative or the period is not positive
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        Objects.requireNonNull(task, "task");
        return schedule(task, Recurrence.fixedRate(initialDelay, period));
    }

    /**
     * Runs a task periodically at a fixed rate on a given CPU, as
     * {@link #scheduleAtFixedRate(Runnable, Duration, Duration)} does.
     * @param cpu one of the workqueue's CPUs
     * @param task the task
     * @param initialDelay how long until the first run, zero or more
     * @param period the time between deadlines, positive
     * @return a handle that ends the schedule; it completes only when the schedule ends
     * @throws IllegalArgumentException if the workqueue has no such CPU, the initial delay is
     * negative or the period is not positive
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    public ScheduledFuture<?> scheduleAtFixedRateOn(int cpu, Runnable task, Duration initialDelay, Duration period) {
        Objects.requireNonNull(task, "task");
        return scheduleOn(cpu, task, Recurrence.fixedRate(initialDelay, period));
    }

    /**
     * Runs a task periodically with a fixed delay: first once the initial delay has passed, then
     * the delay after the end of each run, as
     * {@link java.util.concurrent.ScheduledExecutorService#scheduleWithFixedDelay}. Runs go to CPUs
     * as with {@link #schedule(Runnable, Recurrence)}. The schedule ends as that of
     * {@link #scheduleAtFixedRate(Runnable, Duration, Duration)} does.
     * @param task the task
     * @param initialDelay how long until the first run, zero or more
     * @param delay the time from the end of one run to the start of the next, positive
     * @return a handle that ends the schedule; it completes only when the schedule ends
     * @throws IllegalArgumentException if the initial delay is negative or the delay is not positive
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
        Objects.requireNonNull(task, "task");
        return schedule(task, Recurrence.fixedDelay(initialDelay, delay));
    }

    /**
     * Runs a task periodically with a fixed delay on a given CPU, as
     * {@link #scheduleWithFixedDelay(Runnable, Duration, Duration)} does.
     * @param cpu one of the workqueue's CPUs
     * @param task the task
     * @param initialDelay how long until the first run, zero or more
     * @param delay the time from the end of one run to the start of the next, positive
     * @return a handle that ends the schedule; it completes only when the schedule ends
     * @throws IllegalArgumentException if the workqueue has no such CPU, the initial delay is
     * negative or the delay is not positive
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    public ScheduledFuture<?> scheduleWithFixedDelayOn(int cpu, Runnable task, Duration initialDelay, Duration delay) {
        Objects.requireNonNull(task, "task");
        return scheduleOn(cpu, task, Recurrence.fixedDelay(initialDelay, delay));
    }

    /**
     * Runs a task whenever its recurrence says. With {@link CpuSelection#ROUND_ROBIN} each run
     * goes to the CPU the selection picks when it is due; with {@code LOCAL} every run goes to the
     * CPU of the thread that made the schedule; with {@code ORDERED}, to the core CPU. Runs never
     * overlap: the next is asked for once a
     * run has ended. The schedule ends when it is cancelled, when the recurrence gives no next
     * run (the future then completes), when a run throws and the recurrence does not
     * {@link Recurrence#continuesAfter go on} (the future then fails with what it threw, the CPU
     * counts the run as failed and the thread's uncaught-exception handler hears of it), or when
     * the workqueue shuts down. {@link #schedules()} lists it until it ends.
     * @param task the task
     * @param recurrence when it runs; asked for the first run now, on the calling thread
     * @return a handle that ends the schedule; it completes only when the schedule ends, and is
     * done already if the recurrence gives no first run
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    public ScheduledFuture<?> schedule(Runnable task, Recurrence recurrence) {
        // LOCAL picks the caller's CPU: at a firing that would be whichever CPU the unpinned
        // manager is on, which would spread one schedule's runs, and its idle workers, over every CPU.
        return scheduleRecurring(selectSlot(), config.cpuSelection() == CpuSelection.ROUND_ROBIN, task, recurrence);
    }

    /**
     * Runs a task whenever its recurrence says on a given CPU, as
     * {@link #schedule(Runnable, Recurrence)} does.
     * @param cpu one of the workqueue's CPUs
     * @param task the task
     * @param recurrence when it runs; asked for the first run now, on the calling thread
     * @return a handle that ends the schedule; it completes only when the schedule ends, and is
     * done already if the recurrence gives no first run
     * @throws IllegalArgumentException if the workqueue has no such CPU
     * @throws RejectedExecutionException if the workqueue has shut down
     */
    public ScheduledFuture<?> scheduleOn(int cpu, Runnable task, Recurrence recurrence) {
        return scheduleRecurring(slotOf(cpu), false, task, recurrence);
    }

    /**
     * Recurring work always goes through the timers, even when its first run is due at once:
     * every run is then accepted alike, past the capacity and the rejection policy, which a
     * caller-runs policy would otherwise meet on the first run only.
     */
    private ScheduledFuture<?> scheduleRecurring(CpuSlot slot, boolean followsSelection, Runnable task,
            Recurrence recurrence) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(recurrence, "recurrence");
        long now = clock.nanoTime();
        OptionalLong first = recurrence.next(null, now);
        DelayedWork work = new DelayedWork(new RecurringTask(task, recurrence), slot, followsSelection,
                first.isPresent() ? Timers.deadline(first.getAsLong(), now) : now, timers);
        acceptingSlot(slot);
        if (first.isEmpty()) {
            work.end();
            return work;
        }
        timers.schedule(work);
        return work;
    }

    /**
     * Moves delayed work that has not fired yet to a new delay from now, as the kernel's
     * {@code mod_delayed_work} does: a task waiting for its delay, or recurring work waiting for
     * its next run (whose later runs then follow its recurrence from the moved one).
     * @param scheduled a handle this workqueue gave
     * @param delay the new delay from now, zero or more
     * @return {@code true} if it was waiting and now waits for the new delay; {@code false} if it
     * has fired already (it is queued or running), has ended, or is not this workqueue's
     * @throws IllegalArgumentException if the delay is negative
     */
    public boolean reschedule(ScheduledFuture<?> scheduled, Duration delay) {
        Objects.requireNonNull(scheduled, "scheduled");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive, was " + delay);
        }
        return scheduled instanceof DelayedWork work && work.scheduledBy(timers)
                && timers.move(work, clock.nanoTime() + FixedPeriod.cappedNanos(delay));
    }

    /** @return the recurring work whose schedule has not ended, in the order it was scheduled */
    public List<ScheduleSnapshot> schedules() {
        return timers.schedules();
    }

    /**
     * Waits until every task queued before the call has finished, as the kernel's
     * {@code flush_workqueue} does. Tasks queued meanwhile do not hold it up, except while another
     * flush is waiting: concurrent flushes share one wait, which covers tasks queued up to its start.
     * @throws InterruptedException if the calling thread is interrupted while it waits
     * @throws IllegalStateException if called from a task of this workqueue, which would wait for
     * itself
     */
    public void flush() throws InterruptedException {
        checkNotOwnThread("flush()");
        flushBarrier.flush(Long.MAX_VALUE);
    }

    /**
     * Waits, at most for the timeout, until every task queued before the call has finished.
     * @param timeout how long to wait at most
     * @return whether they all finished in time
     * @throws InterruptedException if the calling thread is interrupted while it waits
     * @throws IllegalStateException if called from a task of this workqueue
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        checkNotOwnThread("flush()");
        return flushBarrier.flush(saturatedNanos(timeout));
    }

    /**
     * Stops accepting work. Queued and running work still runs; delayed work that has not been
     * queued yet is cancelled. Other workqueues sharing the pools go on.
     */
    @Override
    public void shutdown() {
        if (advanceTo(SHUTDOWN)) {
            timers.removeAll().forEach(work -> work.cancel(false));
            letThreadsSeeShutdown();
        }
    }

    /**
     * Stops accepting work, interrupts running tasks and hands back the tasks that never started:
     * queued tasks and delayed tasks that have not fired (as their handles). Only this
     * workqueue's tasks are interrupted; other workqueues sharing the pools go on.
     * @return the tasks that never started
     */
    @Override
    public List<Runnable> shutdownNow() {
        advanceTo(STOP);
        List<Runnable> neverRan = takeAbandoned();
        // Taking the timers waits out a timer the manager may be firing, so the queues drained
        // next hold whatever it queued.
        List<DelayedWork> pending = timers.removeAll();
        for (CpuSlot slot : slots) {
            slot.stop(neverRan);
        }
        neverRan.addAll(pending);
        letThreadsSeeShutdown();
        return neverRan;
    }

    private boolean advanceTo(int target) {
        for (;;) {
            int current = state.get();
            if (current >= target) {
                return false;
            }
            if (state.compareAndSet(current, target)) {
                return true;
            }
        }
    }

    /** Wakes blocked submitters to see the new state, and terminates if nothing is left to run. */
    private void letThreadsSeeShutdown() {
        for (CpuSlot slot : slots) {
            slot.wakeBlockedProducers();
        }
        terminateIfDone();
    }

    @Override
    public boolean isShutdown() {
        return state.get() >= SHUTDOWN;
    }

    boolean isStopped() {
        return state.get() >= STOP;
    }

    @Override
    public boolean isTerminated() {
        return state.get() == TERMINATED;
    }

    /**
     * @throws IllegalStateException if called from a task of this workqueue, which would wait for
     * itself
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (!isTerminated()) {
            checkNotOwnThread("awaitTermination()");
        }
        return termination.await(timeout, unit);
    }

    /**
     * Shuts down and waits until every accepted task has run; if the waiting thread is
     * interrupted, running tasks are interrupted and queued ones dropped.
     * @throws IllegalStateException if called from a task of this workqueue, which would wait for
     * itself
     */
    @Override
    public void close() {
        boolean terminated = isTerminated();
        if (terminated) {
            return;
        }
        checkNotOwnThread("close()");
        shutdown();
        boolean interrupted = false;
        while (!terminated) {
            try {
                terminated = awaitTermination(1L, TimeUnit.DAYS);
            }
            catch (InterruptedException ex) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return an immutable picture of the workqueue: its settings, each CPU's threads, queue and
     * counters, and its recent lifecycle events
     */
    public WorkqueueSnapshot snapshot() {
        List<CpuSnapshot> cpus = new ArrayList<>(slots.length);
        for (CpuSlot slot : slots) {
            cpus.add(slot.snapshot(timebase));
        }
        boolean terminated = isTerminated();
        return new WorkqueueSnapshot(config, timebase.now(), isShutdown(), terminated,
                managerServes() ? manager.snapshot(timebase) : null, coreFailure(), timers.pending(), cpus,
                events.recent());
    }

    /**
     * @param cpu one of the workqueue's CPUs
     * @return an immutable picture of that CPU, cheaper than a whole {@link #snapshot()}
     * @throws IllegalArgumentException if the workqueue has no such CPU
     */
    public CpuSnapshot snapshot(int cpu) {
        return existingSlot(cpu).snapshot(timebase);
    }

    /**
     * @return the figures of each CPU, in ascending order, read without locks: cheap enough to
     * read at every metrics scrape or health check
     */
    public List<CpuStats> stats() {
        List<CpuStats> cpus = new ArrayList<>(slots.length);
        for (CpuSlot slot : slots) {
            cpus.add(slot.stats(timebase));
        }
        return cpus;
    }

    /**
     * @param cpu one of the workqueue's CPUs
     * @return that CPU's figures, read without locks
     * @throws IllegalArgumentException if the workqueue has no such CPU
     */
    public CpuStats stats(int cpu) {
        return existingSlot(cpu).stats(timebase);
    }

    /**
     * @return the worker pool that serves each CPU of the workqueue, in ascending CPU order, read
     * without locks
     */
    public List<PoolStats> pools() {
        List<PoolStats> pools = new ArrayList<>(slots.length);
        for (CpuSlot slot : slots) {
            pools.add(slot.pool().stats());
        }
        return pools;
    }

    /**
     * @param cpu one of the workqueue's CPUs
     * @return the worker pool that serves that CPU of the workqueue, read without locks
     * @throws IllegalArgumentException if the workqueue has no such CPU
     */
    public PoolStats pool(int cpu) {
        return existingSlot(cpu).pool().stats();
    }

    /**
     * @return live threads that serve the workqueue: the workers of its pools, which other
     * workqueues may share, and the manager while it runs; 0 once terminated. Read without locks.
     */
    public int liveThreads() {
        if (isTerminated()) {
            return 0;
        }
        int live = managerServes() ? 1 : 0;
        for (CpuSlot slot : slots) {
            live += slot.liveWorkers();
        }
        return live;
    }

    /**
     * Whether the manager thread runs for this workqueue: it runs while work waits or a timer is
     * pending, and serves other workqueues too.
     */
    private boolean managerServes() {
        if (isTerminated() || !manager.running()) {
            return false;
        }
        if (timers.pending() > 0) {
            return true;
        }
        for (CpuSlot slot : slots) {
            if (slot.queued() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return what killed the manager thread while it served this workqueue, after which the
     * workqueue accepts no work; {@code null} while it has not died
     */
    public @Nullable String coreFailure() {
        Throwable failure = managerFailure;
        return failure != null ? String.valueOf(failure) : null;
    }

    /**
     * Adds a listener that hears how long each task waited and ran. Tasks queued while no listener
     * was registered are not timed. Timing costs two clock reads per task, none while no listener
     * is registered. Adding a listener that is already registered changes nothing.
     * @param listener the listener
     */
    public void addTaskTimingListener(TaskTimingListener listener) {
        timingListeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener added with {@link #addTaskTimingListener}; the others keep hearing.
     * @param listener the listener
     */
    public void removeTaskTimingListener(TaskTimingListener listener) {
        timingListeners.remove(listener);
    }

    /**
     * Registers a listener for the workqueue's lifecycle events.
     * @param listener the listener
     */
    public void addListener(WorkqueueListener listener) {
        events.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener added with {@link #addListener}.
     * @param listener the listener
     */
    public void removeListener(WorkqueueListener listener) {
        events.removeListener(listener);
    }

    @Override
    public String toString() {
        return "LazyWorkqueue[" + config.name() + ", cpus " + config.cpus() + "]";
    }

    /** @return the slot of the CPU the selection picks now, for the calling thread */
    CpuSlot selectSlot() {
        return switch (config.cpuSelection()) {
            case LOCAL -> localSlot();
            case ROUND_ROBIN -> slots[Math.floorMod(roundRobin.getAndIncrement(), slots.length)];
            case ORDERED -> coreSlot;
        };
    }

    private CpuSlot localSlot() {
        int cpu = affinity.currentCpu();
        if (cpu < 0) {
            // No way to read the CPU: keep each submitting thread on one CPU of the set.
            cpu = Long.hashCode(Thread.currentThread().getId()) & Integer.MAX_VALUE;
        }
        CpuSlot slot = cpu < slotsByCpu.length ? slotsByCpu[cpu] : null;
        return slot != null ? slot : slots[cpu % slots.length];
    }

    private CpuSlot slotOf(int cpu) {
        CpuSlot slot = existingSlot(cpu);
        if (config.cpuSelection() == CpuSelection.ORDERED && slot != coreSlot) {
            throw new IllegalArgumentException("cpu " + cpu + " cannot take work of ordered workqueue '"
                    + config.name() + "': ordered work runs on its core CPU " + config.coreCpu() + " only");
        }
        return slot;
    }

    private CpuSlot existingSlot(int cpu) {
        CpuSlot slot = cpu >= 0 && cpu < slotsByCpu.length ? slotsByCpu[cpu] : null;
        if (slot == null) {
            throw new IllegalArgumentException("cpu " + cpu + " is not one of the CPUs of workqueue '"
                    + config.name() + "' (" + config.cpus() + ")");
        }
        return slot;
    }

    private CpuSlot acceptingSlot(CpuSlot slot) {
        if (isShutdown()) {
            throw slot.countRejected(rejectedAfterShutdown());
        }
        return slot;
    }

    RejectedExecutionException rejectedAfterShutdown() {
        return new RejectedExecutionException("Workqueue '" + config.name() + "' has shut down and accepts no work");
    }

    private void checkNotOwnThread(String call) {
        if (CURRENT.get() == this) {
            throw new IllegalStateException(call + " of workqueue '" + config.name()
                    + "' was called from one of its own threads and would wait for itself");
        }
    }

    /**
     * Terminates once shut down, when no task is queued, reserved, running or scheduled. Anyone
     * may call it: shutdown, the thread that finished the last task, a submitter that gave back
     * its room.
     */
    void terminateIfDone() {
        if (!isShutdown() || isTerminated() || timers.pending() > 0) {
            return;
        }
        for (CpuSlot slot : slots) {
            if (!slot.quiescent()) {
                return;
            }
        }
        for (;;) {
            int current = state.get();
            if (current == TERMINATED) {
                return;
            }
            if (state.compareAndSet(current, TERMINATED)) {
                break;
            }
        }
        manager.forget(this);
        for (CpuSlot slot : slots) {
            slot.detach();
        }
        termination.countDown();
    }

    /**
     * Stops the workqueue whose manager died: nothing would start workers, fire timers or watch.
     * Queued and delayed tasks are kept for the next {@code shutdownNow()}, and the futures among
     * them are cancelled at once, so that nobody waits on them.
     */
    void managerDied(Throwable error, String managerName) {
        try {
            events.record(config.coreCpu(), WorkqueueEventType.CORE_FAILED, managerName, String.valueOf(error));
        }
        finally {
            managerFailure = error;
            advanceTo(STOP);
            List<Runnable> taken = new ArrayList<>(timers.removeAll());
            for (CpuSlot slot : slots) {
                slot.drain(taken);
            }
            for (Runnable task : taken) {
                if (task instanceof Future<?> future) {
                    try {
                        future.cancel(false);
                    }
                    catch (Throwable ex) {
                        // A user's future failed to cancel; the others must still be cancelled.
                        logger.log(System.Logger.Level.WARNING, "Cancelling " + future + " failed", ex);
                    }
                }
            }
            synchronized (abandoned) {
                abandoned.addAll(taken);
            }
            letThreadsSeeShutdown();
        }
    }

    private List<Runnable> takeAbandoned() {
        synchronized (abandoned) {
            List<Runnable> taken = new ArrayList<>(abandoned);
            abandoned.clear();
            return taken;
        }
    }

    /**
     * Passes a task's timing to each listener; none of them may stop the thread that ran the task
     * or keep the others from hearing.
     */
    void taskTimed(int cpu, long queuedNanos, long startedNanos) {
        long now;
        try {
            now = clock.nanoTime();
        }
        catch (Throwable ex) {
            timingFailed(timingListeners, ex);
            return;
        }
        for (TaskTimingListener listener : timingListeners) {
            try {
                listener.taskRan(cpu, startedNanos - queuedNanos, now - startedNanos);
            }
            catch (Throwable ex) {
                timingFailed(listener, ex);
            }
        }
    }

    /** Passes a run of delayed work to each listener, as {@link #taskTimed} does. */
    void scheduledRan(long startDelayNanos, long runNanos, boolean failed) {
        for (TaskTimingListener listener : timingListeners) {
            try {
                listener.scheduledRun(startDelayNanos, runNanos, failed);
            }
            catch (Throwable ex) {
                timingFailed(listener, ex);
            }
        }
    }

    /** A worker of the workqueue's pools could not pin itself: warns once per workqueue. */
    void pinFailed(AffinityException error) {
        if (pinWarningLogged.compareAndSet(false, true)) {
            logger.log(System.Logger.Level.WARNING, "Workqueue '" + config.name() + "' runs its threads unpinned: "
                    + error.getMessage());
        }
    }

    /** @param listener the listener that failed, or the listeners a clock failure left untold */
    void timingFailed(Object listener, Throwable error) {
        if (timingFailureLogged.compareAndSet(false, true)) {
            logger.log(System.Logger.Level.WARNING, "Timing tasks for listener " + listener + " of workqueue '"
                    + config.name() + "' failed; further failures are logged at DEBUG", error);
        }
        else {
            logger.log(System.Logger.Level.DEBUG, "Timing tasks for listener " + listener + " failed", error);
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Defines a {@link LazyWorkqueue}. Each setter checks its argument; {@link #build()} checks
     * the settings against each other and against the machine.
     */
    public static final class Builder {

        /** The largest {@link #eventHistory(int)}. */
        public static final int MAX_EVENT_HISTORY = 65_536;

        /** The default {@link #maxActive(int)}, except for ordered workqueues. */
        public static final int DEFAULT_MAX_ACTIVE = 16;

        /** The factory of workqueues that set none: one instance, so that they can share pools. */
        static final ThreadFactory DEFAULT_THREAD_FACTORY = Executors.defaultThreadFactory();

        private static final Duration LONGEST = Duration.ofNanos(FixedPeriod.LONGEST_NANOS);

        private final String name;

        private @Nullable CpuSet cpus;

        /** The text given to {@link #cpus(String)}, for errors that name the CPUs as written. */
        private @Nullable String cpusAsWritten;

        private @Nullable Integer coreCpu;

        private Duration idleTimeout = Duration.ofSeconds(10);

        private @Nullable Integer maxActive;

        private AffinityMode affinity = AffinityMode.STRICT;

        private CpuSelection cpuSelection = CpuSelection.LOCAL;

        private int queueCapacity = Integer.MAX_VALUE;

        private RejectionPolicy rejection = RejectionPolicy.ABORT;

        private @Nullable String threadNamePrefix;

        private ThreadFactory threadFactory = DEFAULT_THREAD_FACTORY;

        private WorkqueueClock clock = WorkqueueClock.system();

        private Duration spawnRetryDelay = Duration.ofSeconds(1);

        private int eventHistory = 256;

        private Duration watchdogThreshold = Duration.ofSeconds(30);

        private Duration concurrencyThreshold = WorkqueueConfig.DEFAULT_CONCURRENCY_THRESHOLD;

        private boolean dedicated;

        private final List<WorkqueueListener> listeners = new ArrayList<>();

        private Affinity platform = Affinity.get();

        private Builder(String name) {
            this.name = printable("name", name);
        }

        /**
         * Sets the CPUs that get a queue; by default every CPU this process may use.
         * @param cpulist Linux cpulist text such as {@code "0-3,8"}, as {@link CpuSet#parse(String)} reads it
         * @return this builder
         * @throws IllegalArgumentException if the text is malformed or names a CPU id above
         * {@link CpuSet#MAX_CPU}
         */
        public Builder cpus(String cpulist) {
            Objects.requireNonNull(cpulist, "cpus");
            try {
                cpus(CpuSet.parse(cpulist));
                cpusAsWritten = cpulist;
                return this;
            }
            catch (IllegalArgumentException ex) {
                InvalidWorkqueueSettingException invalid = new InvalidWorkqueueSettingException("cpus", cpulist,
                        "cpus: " + ex.getMessage());
                invalid.initCause(ex);
                throw invalid;
            }
        }

        /**
         * Sets the CPUs that get a queue; by default every CPU this process may use.
         * @param cpus the CPUs
         * @return this builder
         */
        public Builder cpus(CpuSet cpus) {
            this.cpus = Objects.requireNonNull(cpus, "cpus");
            this.cpusAsWritten = null;
            return this;
        }

        /**
         * Sets the CPU of ordered work ({@link CpuSelection#ORDERED}); by default the first of the
         * CPUs.
         * @param coreCpu one of the workqueue's CPUs
         * @return this builder
         */
        public Builder coreCpu(int coreCpu) {
            this.coreCpu = coreCpu;
            return this;
        }

        /**
         * Sets how long a worker waits for work before it exits; 10 seconds by default. A duration
         * longer than about 73 years counts as 73 years, that is, never.
         * @param idleTimeout a positive duration
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive("idleTimeout", idleTimeout);
            return this;
        }

        /**
         * Sets how many tasks of the workqueue may run on one CPU at once; 16 by default, 1 for
         * {@link CpuSelection#ORDERED}. The CPU's pool gains a worker for them only while work waits
         * and each of its workers is stuck in a task; 1 keeps the workqueue's tasks on a CPU one at
         * a time.
         * @param maxActive at least 1
         * @return this builder
         */
        public Builder maxActive(int maxActive) {
            if (maxActive < 1) {
                throw new InvalidWorkqueueSettingException("maxActive", maxActive,
                        "maxActive must be at least 1, was " + maxActive);
            }
            this.maxActive = maxActive;
            return this;
        }

        /**
         * Sets whether threads are pinned to their CPUs; {@link AffinityMode#STRICT} by default.
         * @param affinity the mode
         * @return this builder
         */
        public Builder affinity(AffinityMode affinity) {
            this.affinity = Objects.requireNonNull(affinity, "affinity");
            return this;
        }

        /**
         * Sets how {@code execute} picks a CPU; {@link CpuSelection#LOCAL} by default.
         * @param cpuSelection the selection
         * @return this builder
         */
        public Builder cpuSelection(CpuSelection cpuSelection) {
            this.cpuSelection = Objects.requireNonNull(cpuSelection, "cpuSelection");
            return this;
        }

        /**
         * Sets how many tasks each CPU's queue holds; unbounded by default.
         * @param queueCapacity at least 1
         * @return this builder
         */
        public Builder queueCapacity(int queueCapacity) {
            if (queueCapacity < 1) {
                throw new InvalidWorkqueueSettingException("queueCapacity", queueCapacity,
                        "queueCapacity must be at least 1, was " + queueCapacity);
            }
            this.queueCapacity = queueCapacity;
            return this;
        }

        /**
         * Sets what a submitter meets when a CPU's queue is full; {@link RejectionPolicy#ABORT} by
         * default.
         * @param rejection the policy
         * @return this builder
         */
        public Builder rejection(RejectionPolicy rejection) {
            this.rejection = Objects.requireNonNull(rejection, "rejection");
            return this;
        }

        /**
         * Sets the start of thread names; by default the workqueue's name and a slash. A worker is
         * named {@code <prefix><cpu>:<n>} after the workqueue whose task it runs, and renames
         * itself when it turns to a task of another workqueue of its pool.
         * @param threadNamePrefix the prefix, not blank and without control characters such as line
         * breaks or tabs
         * @return this builder
         */
        public Builder threadNamePrefix(String threadNamePrefix) {
            this.threadNamePrefix = printable("threadNamePrefix", threadNamePrefix);
            return this;
        }

        /**
         * Sets the factory of worker threads; the workqueue names the threads it returns. When it
         * throws or returns {@code null}, the manager thread runs the CPU's work itself. Workqueues
         * share pools only with the same factory instance; by default they all use one.
         * @param threadFactory the factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * Sets the time source; the system's by default. Tests use it to drive idle timeouts.
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(WorkqueueClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how long after a failed worker creation the manager thread runs that CPU's work itself
         * rather than try again; 1 second by default, as the kernel's {@code CREATE_COOLDOWN}. A
         * duration longer than about 73 years counts as 73 years, that is, never again.
         * @param spawnRetryDelay a positive duration
         * @return this builder
         */
        public Builder spawnRetryDelay(Duration spawnRetryDelay) {
            this.spawnRetryDelay = positive("spawnRetryDelay", spawnRetryDelay);
            return this;
        }

        /**
         * Sets how many recent lifecycle events the workqueue keeps for snapshots; 256 by default.
         * @param eventHistory from 0 to {@link #MAX_EVENT_HISTORY}
         * @return this builder
         */
        public Builder eventHistory(int eventHistory) {
            if (eventHistory < 0 || eventHistory > MAX_EVENT_HISTORY) {
                throw new InvalidWorkqueueSettingException("eventHistory", eventHistory,
                        "eventHistory must be from 0 to " + MAX_EVENT_HISTORY + ", was " + eventHistory);
            }
            this.eventHistory = eventHistory;
            return this;
        }

        /**
         * Sets how long work may wait in a CPU's queue while none of that CPU's tasks finishes
         * before the manager thread reports the CPU as stalled; 30 seconds by default, as the
         * kernel's workqueue watchdog. Zero turns the watchdog off. A duration longer than about 73
         * years counts as 73 years, that is, never.
         * @param watchdogThreshold zero or a positive duration
         * @return this builder
         */
        public Builder watchdogThreshold(Duration watchdogThreshold) {
            Objects.requireNonNull(watchdogThreshold, "watchdogThreshold");
            if (watchdogThreshold.isNegative()) {
                throw new InvalidWorkqueueSettingException("watchdogThreshold", watchdogThreshold,
                        "watchdogThreshold must be zero (off) or positive, was " + watchdogThreshold);
            }
            this.watchdogThreshold = watchdogThreshold;
            return this;
        }

        /**
         * Sets how long a worker may run one task before its pool counts it as stuck and may start
         * another worker for the work waiting behind it; 10 milliseconds by default, as the
         * kernel's {@code cpu_intensive_thresh_us}. A worker blocked in a task (waiting on a lock,
         * a future, I/O through a lock) counts as stuck at once. A duration longer than about 73
         * years counts as 73 years, that is, never.
         * @param concurrencyThreshold a positive duration
         * @return this builder
         */
        public Builder concurrencyThreshold(Duration concurrencyThreshold) {
            this.concurrencyThreshold = positive("concurrencyThreshold", concurrencyThreshold);
            return this;
        }

        /**
         * Sets whether the workqueue's workers serve it alone; {@code false} by default, where
         * workqueues with the same thread settings (affinity, idle timeout, spawn retry delay,
         * concurrency threshold, thread factory) share one pool of workers per CPU.
         * @param dedicated whether the workqueue gets pools of its own
         * @return this builder
         */
        public Builder dedicated(boolean dedicated) {
            this.dedicated = dedicated;
            return this;
        }

        /**
         * Adds a listener for lifecycle events, registered before the first event.
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(WorkqueueListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        Builder platform(Affinity platform) {
            this.platform = platform;
            return this;
        }

        /**
         * Checks the settings and builds the workqueue. No thread starts until the first task.
         * @return the workqueue
         * @throws InvalidWorkqueueSettingException if the settings contradict each other or the
         * machine
         */
        public LazyWorkqueue build() {
            CpuSet allowed = platform.allowedCpus();
            CpuSet resolvedCpus = cpus != null ? cpus : allowed;
            if (affinity == AffinityMode.STRICT && !allowed.containsAll(resolvedCpus)) {
                String written = cpusAsWritten != null ? ControlCharacters.escape(cpusAsWritten)
                        : resolvedCpus.toString();
                throw new InvalidWorkqueueSettingException("cpus", written, "cpus '" + written
                        + "' includes CPUs " + CpuSet.of(resolvedCpus.missingFrom(allowed)) + " that this process may not use;"
                        + " it may use " + allowed + ". Name CPUs from " + allowed
                        + ", or set affinity NONE to run unpinned queues for CPU ids the machine lacks");
            }
            int resolvedCoreCpu = coreCpu != null ? coreCpu : resolvedCpus.first();
            if (!resolvedCpus.contains(resolvedCoreCpu)) {
                throw new InvalidWorkqueueSettingException("coreCpu", resolvedCoreCpu,
                        "coreCpu " + resolvedCoreCpu + " is not one of cpus '" + resolvedCpus + "'; name one of them");
            }
            boolean ordered = cpuSelection == CpuSelection.ORDERED;
            if (ordered && maxActive != null && maxActive != 1) {
                throw new InvalidWorkqueueSettingException("maxActive", maxActive, "maxActive " + maxActive
                        + " is not allowed with cpuSelection ORDERED, which runs one task at a time; use maxActive 1");
            }
            int resolvedMaxActive = maxActive != null ? maxActive : ordered ? 1 : DEFAULT_MAX_ACTIVE;
            WorkqueueConfig config = new WorkqueueConfig(name, resolvedCpus, resolvedCoreCpu,
                    atMostLongest(idleTimeout), resolvedMaxActive, affinity, cpuSelection, queueCapacity, rejection,
                    threadNamePrefix != null ? threadNamePrefix : name + "/", atMostLongest(spawnRetryDelay),
                    eventHistory, atMostLongest(watchdogThreshold), atMostLongest(concurrencyThreshold), dedicated);
            return new LazyWorkqueue(config, clock, threadFactory, platform, listeners);
        }

        private static Duration positive(String property, Duration duration) {
            Objects.requireNonNull(duration, property);
            if (duration.isNegative() || duration.isZero()) {
                throw new InvalidWorkqueueSettingException(property, duration,
                        property + " must be positive, was " + duration);
            }
            return duration;
        }

        private static Duration atMostLongest(Duration duration) {
            return duration.compareTo(LONGEST) > 0 ? LONGEST : duration;
        }

        /** Checks text that ends up in thread names and log lines. */
        private static String printable(String property, String text) {
            Objects.requireNonNull(text, property);
            if (text.isBlank() || ControlCharacters.in(text)) {
                throw new InvalidWorkqueueSettingException(property, text, property + " must not be blank and must"
                        + " hold no control characters such as line breaks or tabs, was '"
                        + ControlCharacters.escape(text) + "'");
            }
            return text;
        }
    }
}
