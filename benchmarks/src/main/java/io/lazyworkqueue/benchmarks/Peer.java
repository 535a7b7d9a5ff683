package io.lazyworkqueue.benchmarks;

import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.LazyWorkqueue;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The executors measured side by side. Public, with constant names, because JMH sets
 * {@code @Param} fields from these names.
 */
public enum Peer {

    /**
     * The lazy workqueue (engine v2) with its defaults: each task goes to the caller's CPU, workers
     * come from the per-CPU pools that workqueues with the same thread settings share, at most
     * {@value io.lazyworkqueue.LazyWorkqueue.Builder#DEFAULT_MAX_ACTIVE} tasks of the workqueue
     * are active per CPU, and the concurrency threshold is the default 10 ms.
     */
    LAZY {
        @Override
        PeerExecutor open(PeerSettings settings) {
            LazyWorkqueue workqueue = settings.lazyWorkqueue("lazy").build();
            return new PeerExecutor(workqueue, (task, cpu) -> workqueue.executeOn(cpu, task), workqueue);
        }
    },

    /**
     * The v1 engine (tag {@code engine-v1}) with {@link #LAZY}'s settings, loaded from the jar that
     * {@code benchmarks/engine-v1.sh} builds: see {@link EngineV1}.
     */
    LAZY_V1 {
        @Override
        PeerExecutor open(PeerSettings settings) {
            WorkqueueV1 workqueue = EngineV1.load().open("lazy-v1", settings);
            return new PeerExecutor(workqueue.executor(), (task, cpu) -> workqueue.executeOn(cpu, task),
                    workqueue.executor());
        }

        @Override
        Optional<String> unavailable() {
            return EngineV1.unavailable();
        }
    },

    /**
     * {@link #LAZY} with {@code maxActive} 256 (the kernel's default) instead of 16: with
     * {@link TinyTaskThroughput}'s batches of 100, no task waits inactive for a turn, so against
     * {@link #LAZY} this shows what the turns cost.
     */
    LAZY_MAX_ACTIVE_256 {
        @Override
        PeerExecutor open(PeerSettings settings) {
            LazyWorkqueue workqueue = settings.lazyWorkqueue("lazy-256").maxActive(256).build();
            return new PeerExecutor(workqueue, (task, cpu) -> workqueue.executeOn(cpu, task), workqueue);
        }
    },

    /** The lazy workqueue spreading tasks over its CPUs in turn. */
    LAZY_ROUND_ROBIN {
        @Override
        PeerExecutor open(PeerSettings settings) {
            LazyWorkqueue workqueue = settings.lazyWorkqueue("lazy-rr").cpuSelection(CpuSelection.ROUND_ROBIN).build();
            return new PeerExecutor(workqueue, (task, cpu) -> workqueue.executeOn(cpu, task), workqueue);
        }
    },

    /** {@code Executors.newFixedThreadPool(cpus)}: one shared queue, one thread per CPU. */
    THREAD_POOL {
        @Override
        PeerExecutor open(PeerSettings settings) {
            int threads = settings.cpus().size();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>());
            return new PeerExecutor(pool, (task, cpu) -> pool.execute(task), pool);
        }
    },

    /** {@code new ForkJoinPool(cpus)}, fed from outside the pool as an executor. */
    FORK_JOIN {
        @Override
        PeerExecutor open(PeerSettings settings) {
            ForkJoinPool pool = new ForkJoinPool(settings.cpus().size());
            return new PeerExecutor(pool, (task, cpu) -> pool.execute(task), pool);
        }
    },

    /** Spring's {@code ThreadPoolTaskExecutor} as Spring Boot configures it by default. */
    SPRING_BOOT_DEFAULTS {
        @Override
        PeerExecutor open(PeerSettings settings) {
            return spring(SpringBootDefaults.taskExecutor());
        }
    },

    /**
     * Boot's defaults with the keep-alive cut to the lazy workqueue's idle timeout, so that the
     * footprint harness compares the two retiring at the same moment.
     */
    SPRING_SAME_IDLE_TIMEOUT {
        @Override
        PeerExecutor open(PeerSettings settings) {
            return spring(SpringBootDefaults.taskExecutor(settings.idleTimeout()));
        }
    },

    /** One pinned single-thread executor per CPU, started up front: see {@link EagerPerCpuExecutor}. */
    EAGER_PER_CPU {
        @Override
        PeerExecutor open(PeerSettings settings) {
            EagerPerCpuExecutor eager = new EagerPerCpuExecutor("eager", settings.cpus(),
                    settings.affinity() == AffinityMode.STRICT);
            return new PeerExecutor(eager, (task, cpu) -> eager.executeOn(cpu, task), eager);
        }
    };

    /**
     * Starts the peer.
     * @param settings the CPUs and timeouts every peer of the measurement shares
     * @return the started peer; the caller closes it
     * @throws IllegalStateException if the peer is {@link #unavailable}, saying why
     */
    abstract PeerExecutor open(PeerSettings settings);

    /** @return why this peer cannot run in this JVM, or empty if it can */
    Optional<String> unavailable() {
        return Optional.empty();
    }

    private static PeerExecutor spring(ThreadPoolTaskExecutor executor) {
        return new PeerExecutor(executor, (task, cpu) -> executor.execute(task), executor.getThreadPoolExecutor());
    }
}
