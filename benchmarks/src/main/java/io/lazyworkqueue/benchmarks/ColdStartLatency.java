package io.lazyworkqueue.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.lazyworkqueue.PoolStats;
import io.lazyworkqueue.LazyWorkqueue;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hand-off latency when no worker exists yet, so the task waits for a thread to be created. As in
 * {@link HandOffLatency}, each sample ends when the task has started and woken the submitter.
 *
 * <p>The lazy workqueue (and the v1 engine, {@link Peer#LAZY_V1}) stays up, with a 1 ms idle
 * timeout, and between samples the benchmark waits until no worker of its pools is left. What
 * happens then differs by engine. In v2 ({@link Peer#LAZY}) the workqueue owns no thread: the
 * submitter starts the pool's first worker itself, as a {@code ThreadPoolExecutor} does, and the
 * manager thread is not involved (it has left too, as in an idle application). In v1 the
 * workqueue's core thread stays alive and creates the worker for the submitter. The other peers
 * create their thread in the submitting thread; for them each sample gets a fresh pool, which is
 * the same code path as a pool whose threads have timed out (ForkJoinPool cannot time out faster
 * than 20 ms, which would starve the sample count). The eager baseline is never cold and is left
 * out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Threads(1)
public class ColdStartLatency {

    private static final Duration LAZY_IDLE_TIMEOUT = Duration.ofMillis(1);

    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    @Param({ "LAZY", "LAZY_V1", "THREAD_POOL", "FORK_JOIN", "SPRING_BOOT_DEFAULTS" })
    public Peer peer;

    private final PeerSettings settings = PeerSettings.allowedCpus();

    private final CompletionBatch batch = new CompletionBatch(0);

    /** For the lazy peers, which stay up: whether the last worker has retired. */
    private @Nullable BooleanSupplier lazyHasNoWorker;

    private PeerExecutor executor;

    @Setup(Level.Trial)
    public void open() {
        if (peer == Peer.LAZY) {
            LazyWorkqueue workqueue = settings.lazyWorkqueue("lazy").idleTimeout(LAZY_IDLE_TIMEOUT).build();
            lazyHasNoWorker = () -> noWorker(workqueue);
            executor = new PeerExecutor(workqueue, (task, cpu) -> workqueue.executeOn(cpu, task), workqueue);
        }
        else if (peer == Peer.LAZY_V1) {
            WorkqueueV1 workqueue = EngineV1.load().open("lazy-v1",
                    new PeerSettings(settings.cpus(), settings.affinity(), LAZY_IDLE_TIMEOUT));
            lazyHasNoWorker = workqueue::hasNoWorker;
            executor = new PeerExecutor(workqueue.executor(), (task, cpu) -> workqueue.executeOn(cpu, task),
                    workqueue.executor());
        }
        if (lazyHasNoWorker != null) {
            // The first task ever loads and compiles the cold path (and, in v1, starts the core
            // thread); that is not the case measured.
            batch.run(executor, 1);
        }
    }

    @Setup(Level.Invocation)
    public void makeCold() {
        if (lazyHasNoWorker != null) {
            while (!lazyHasNoWorker.getAsBoolean()) {
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
        else {
            executor = peer.open(settings);
        }
    }

    /** @return whether no pool of the workqueue has a live worker (v2: workers belong to pools) */
    private static boolean noWorker(LazyWorkqueue workqueue) {
        for (PoolStats pool : workqueue.pools()) {
            if (pool.workers() != 0) {
                return false;
            }
        }
        return true;
    }

    @TearDown(Level.Invocation)
    public void closeFreshPool() {
        if (lazyHasNoWorker == null) {
            executor.close();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (lazyHasNoWorker != null) {
            executor.close();
        }
    }

    @Benchmark
    public void submitToStartAndBack() {
        batch.run(executor, 1);
    }
}
