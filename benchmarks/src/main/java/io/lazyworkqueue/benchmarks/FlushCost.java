package io.lazyworkqueue.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * What {@code flush()} costs. On an idle workqueue it only switches the flush generation and
 * scans each CPU's counters. On a busy one a producer keeps between {@value #BUSY_BATCH} and twice
 * that many tasks of about 1 µs in flight, spread over the CPUs, so that every flush finds work
 * queued before it and waits for that work, and not for the work queued after it.
 *
 * <p>{@code LAZY} is the engine on the class path; {@code LAZY_V1} the v1 engine, whose
 * {@code flush()} costs a method handle call on top.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
public class FlushCost {

    static final int BUSY_BATCH = 64;

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void idle(IdleWorkqueue state) throws InterruptedException {
        state.workqueue.flush();
    }

    @Benchmark
    @Group("busy")
    @GroupThreads(1)
    public void busyFlush(BusyWorkqueue state, Pacer pacer) throws InterruptedException {
        state.workqueue.flush();
    }

    @Benchmark
    @Group("busy")
    @GroupThreads(1)
    public void busyProducer(BusyWorkqueue state, Producer producer) {
        producer.next(state.workqueue);
    }

    /** A workqueue whose workers exist and are parked. */
    @State(Scope.Benchmark)
    public static class IdleWorkqueue {

        @Param({ "LAZY", "LAZY_V1" })
        public Peer peer;

        FlushableWorkqueue workqueue;

        @Setup(Level.Trial)
        public void open() {
            workqueue = FlushableWorkqueue.roundRobin(peer);
            new CompletionBatch(0).run(workqueue.executor(), workqueue.cpus());
        }

        @TearDown(Level.Trial)
        public void close() {
            workqueue.executor().close();
        }
    }

    /** A workqueue shared by a flushing thread and a producing thread. */
    @State(Scope.Group)
    public static class BusyWorkqueue {

        @Param({ "LAZY", "LAZY_V1" })
        public Peer peer;

        FlushableWorkqueue workqueue;

        @Setup(Level.Trial)
        public void open() {
            workqueue = FlushableWorkqueue.roundRobin(peer);
        }

        @TearDown(Level.Trial)
        public void close() {
            workqueue.executor().close();
        }
    }

    /**
     * The producing thread: it submits a batch and then waits for the batch before, so that the
     * workqueue never runs dry while the producer waits.
     */
    @State(Scope.Thread)
    public static class Producer {

        private CompletionBatch submitted = new CompletionBatch(CpuWork.tokens(1));

        private CompletionBatch previous = new CompletionBatch(CpuWork.tokens(1));

        void next(FlushableWorkqueue workqueue) {
            previous.await();
            CompletionBatch free = previous;
            previous = submitted;
            submitted = free;
            submitted.submit(workqueue.executor(), BUSY_BATCH);
        }

        @TearDown(Level.Trial)
        public void finish() {
            submitted.await();
            previous.await();
        }
    }

    /**
     * Spaces the flushes out, untimed. Back to back, the flushes that find nothing in flight take
     * a CPU from the producer, which starves, so that most flushes find nothing in flight.
     */
    @State(Scope.Thread)
    public static class Pacer {

        private static final long GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

        @Setup(Level.Invocation)
        public void pause() {
            long deadline = System.nanoTime() + GAP_NANOS;
            for (long left = GAP_NANOS; left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
