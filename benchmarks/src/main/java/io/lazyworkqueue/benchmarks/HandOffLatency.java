package io.lazyworkqueue.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
 * Hand-off latency to a warm worker that has parked: one task is submitted, and the operation
 * ends when the task has started and woken the submitter. Each sample therefore holds two
 * hand-offs, submitter to worker and worker back to submitter; the way back is the same
 * {@code LockSupport.unpark} for every peer, so differences between peers are differences in the
 * way there.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Threads(1)
public class HandOffLatency {

    /** Long enough for every peer's worker to go from running to parked, FJP's spins included. */
    private static final long PARK_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    @Param({ "LAZY", "LAZY_V1", "THREAD_POOL", "FORK_JOIN", "SPRING_BOOT_DEFAULTS", "EAGER_PER_CPU" })
    public Peer peer;

    private PeerExecutor executor;

    private final CompletionBatch batch = new CompletionBatch(0);

    @Setup(Level.Trial)
    public void open() {
        executor = peer.open(PeerSettings.allowedCpus());
        batch.run(executor, 1);
    }

    @TearDown(Level.Trial)
    public void close() {
        executor.close();
    }

    @Setup(Level.Invocation)
    public void letWorkersPark() {
        // A loop: the last sample's unpark may have left a permit that ends the first park at once.
        long deadline = System.nanoTime() + PARK_GAP_NANOS;
        for (long left = PARK_GAP_NANOS; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    @Benchmark
    public void submitToStartAndBack() {
        batch.run(executor, 1);
    }
}
