package io.lazyworkqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.BenchmarkAffinity;
import io.lazyworkqueue.CpuSet;

import org.jspecify.annotations.Nullable;

/**
 * The eager per-CPU baseline: one single-thread executor per CPU, all threads started up front,
 * each pinned to its CPU, and never retired. Tasks go to the caller's CPU, read with
 * {@code sched_getcpu} as the lazy workqueue's {@code LOCAL} selection does, so that the two differ
 * only in when their threads exist and in their queueing.
 */
final class EagerPerCpuExecutor extends AbstractExecutorService {

    private final ThreadPoolExecutor[] executors;

    private final @Nullable ThreadPoolExecutor[] executorsByCpu;

    /**
     * Starts one pinned thread per CPU.
     * @param name the start of thread names
     * @param cpus the CPUs
     * @param pin whether each thread pins itself to its CPU; off for CPU ids the machine lacks
     */
    EagerPerCpuExecutor(String name, CpuSet cpus, boolean pin) {
        this.executors = new ThreadPoolExecutor[cpus.size()];
        this.executorsByCpu = new ThreadPoolExecutor[cpus.last() + 1];
        for (int i = 0; i < cpus.size(); i++) {
            int cpu = cpus.get(i);
            ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), worker -> pinnedThread(name + "/" + cpu, cpu, pin, worker));
            executor.prestartCoreThread();
            executors[i] = executor;
            executorsByCpu[cpu] = executor;
        }
    }

    private static Thread pinnedThread(String name, int cpu, boolean pin, Runnable worker) {
        Thread thread = new Thread(() -> {
            if (pin) {
                BenchmarkAffinity.pinCurrentThread(cpu);
            }
            worker.run();
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void execute(Runnable task) {
        int cpu = BenchmarkAffinity.currentCpu();
        if (cpu < 0) {
            cpu = Long.hashCode(Thread.currentThread().getId()) & Integer.MAX_VALUE;
        }
        ThreadPoolExecutor executor = cpu < executorsByCpu.length ? executorsByCpu[cpu] : null;
        (executor != null ? executor : executors[cpu % executors.length]).execute(task);
    }

    /**
     * @param cpu one of the executor's CPUs
     * @param task the task
     */
    void executeOn(int cpu, Runnable task) {
        ThreadPoolExecutor executor = cpu >= 0 && cpu < executorsByCpu.length ? executorsByCpu[cpu] : null;
        if (executor == null) {
            throw new IllegalArgumentException("no thread for CPU " + cpu);
        }
        executor.execute(task);
    }

    @Override
    public void shutdown() {
        for (ThreadPoolExecutor executor : executors) {
            executor.shutdown();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> neverRan = new ArrayList<>();
        for (ThreadPoolExecutor executor : executors) {
            neverRan.addAll(executor.shutdownNow());
        }
        return neverRan;
    }

    @Override
    public boolean isShutdown() {
        return executors[0].isShutdown();
    }

    @Override
    public boolean isTerminated() {
        for (ThreadPoolExecutor executor : executors) {
            if (!executor.isTerminated()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (ThreadPoolExecutor executor : executors) {
            if (!executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }
}
