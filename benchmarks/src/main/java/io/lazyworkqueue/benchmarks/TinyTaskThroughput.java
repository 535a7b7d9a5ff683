package io.lazyworkqueue.benchmarks;

import java.util.concurrent.TimeUnit;

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
 * Tiny tasks per second, counted when they have run: each producer submits a batch of
 * {@value #BATCH} tasks and waits for the last one before it submits the next batch. The score is
 * tasks per second over all producers. The batch bounds what a producer has in flight, so a peer
 * cannot score by letting its queue grow.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
public class TinyTaskThroughput {

    static final int BATCH = 100;

    @Param({ "LAZY", "LAZY_V1", "LAZY_ROUND_ROBIN", "THREAD_POOL", "FORK_JOIN", "SPRING_BOOT_DEFAULTS", "EAGER_PER_CPU" })
    public Peer peer;

    private PeerExecutor executor;

    @Setup(Level.Trial)
    public void open() {
        executor = peer.open(PeerSettings.allowedCpus());
    }

    @TearDown(Level.Trial)
    public void close() {
        executor.close();
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void producers1(Producer producer) {
        producer.batch.run(executor, BATCH);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void producers2(Producer producer) {
        producer.batch.run(executor, BATCH);
    }

    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(BATCH)
    public void producers4(Producer producer) {
        producer.batch.run(executor, BATCH);
    }

    /** One producer thread's batch. */
    @State(Scope.Thread)
    public static class Producer {

        /** CPU work per task, in microseconds on the reference machine: none, or about 1 µs. */
        @Param({ "0", "1" })
        public int workMicros;

        CompletionBatch batch;

        @Setup(Level.Trial)
        public void setUp() {
            batch = new CompletionBatch(CpuWork.tokens(workMicros));
        }
    }
}
