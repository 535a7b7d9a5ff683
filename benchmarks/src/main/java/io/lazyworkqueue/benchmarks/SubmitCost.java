package io.lazyworkqueue.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.BenchmarkAffinity;
import io.lazyworkqueue.CpuSet;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one submit, by how the CPU is chosen, with everything else held equal: every path
 * ends in the same queue, whose worker is busy with a blocking task, so no submit wakes a thread
 * and the difference between paths is the CPU choice.
 *
 * <p>The workqueue has one CPU, the first allowed one, and the benchmark thread is pinned to
 * another: {@code LOCAL} then reads a CPU the workqueue lacks and maps it onto its one CPU (one
 * extra modulo), and the submitter never shares a CPU with the worker. Each invocation submits
 * {@value #BATCH} tasks; between invocations, untimed, the worker is released, drains the queue
 * and is blocked again, so the queue never grows past one batch.
 *
 * <p>{@code LOCAL_V1} and {@code EXECUTE_ON_V1} are the same paths into the v1 engine,
 * {@link Peer#LAZY_V1}; {@code EXECUTE_ON_V1} pays a method handle call on top, as every
 * {@code executeOn} of that peer does.
 *
 * <p>{@code THREAD_POOL} is a reference: {@code execute} on a one-thread {@code ThreadPoolExecutor}
 * whose thread is blocked the same way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Threads(1)
public class SubmitCost {

    static final int BATCH = 10_000;

    private static final Runnable EMPTY = () -> { };

    @Param({ "LOCAL", "ROUND_ROBIN", "EXECUTE_ON", "LOCAL_V1", "EXECUTE_ON_V1", "THREAD_POOL" })
    public String path;

    private int cpu;

    private PeerExecutor executor;

    private CountDownLatch release = new CountDownLatch(0);

    @Setup(Level.Trial)
    public void open() {
        CpuSet allowed = CpuSet.allowed();
        cpu = allowed.first();
        if (allowed.size() > 1) {
            BenchmarkAffinity.pinCurrentThread(allowed.last());
        }
        PeerSettings oneCpu = new PeerSettings(CpuSet.of(cpu), AffinityMode.STRICT, PeerSettings.DEFAULT_IDLE_TIMEOUT);
        executor = switch (path) {
            case "LOCAL", "EXECUTE_ON" -> Peer.LAZY.open(oneCpu);
            case "ROUND_ROBIN" -> Peer.LAZY_ROUND_ROBIN.open(oneCpu);
            case "LOCAL_V1", "EXECUTE_ON_V1" -> Peer.LAZY_V1.open(oneCpu);
            case "THREAD_POOL" -> Peer.THREAD_POOL.open(oneCpu);
            default -> throw new IllegalArgumentException("unknown path " + path);
        };
    }

    @TearDown(Level.Trial)
    public void close() {
        executor.close();
    }

    @Setup(Level.Invocation)
    public void blockWorker() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch blocker = new CountDownLatch(1);
        release = blocker;
        executor.executeOn(cpu, () -> {
            started.countDown();
            awaitUninterruptibly(blocker);
        });
        started.await();
    }

    @TearDown(Level.Invocation)
    public void drain() {
        release.countDown();
        CompletionBatch last = new CompletionBatch(0);
        // Queued behind the batch on the same single queue: once it has run, the batch has too.
        last.run(task -> executor.executeOn(cpu, task), 1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void submit() {
        switch (path) {
            case "LOCAL", "ROUND_ROBIN", "LOCAL_V1", "THREAD_POOL" -> {
                for (int i = 0; i < BATCH; i++) {
                    executor.execute(EMPTY);
                }
            }
            case "EXECUTE_ON", "EXECUTE_ON_V1" -> {
                for (int i = 0; i < BATCH; i++) {
                    executor.executeOn(cpu, EMPTY);
                }
            }
            default -> throw new IllegalArgumentException("unknown path " + path);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (latch.getCount() > 0) {
            try {
                latch.await();
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
