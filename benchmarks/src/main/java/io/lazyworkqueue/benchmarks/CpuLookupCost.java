package io.lazyworkqueue.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lazyworkqueue.BenchmarkAffinity;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each way of picking a CPU costs by itself, against a plain Java call: {@code LOCAL} reads
 * the current CPU with {@code sched_getcpu} through the engine's JNA direct mapping,
 * {@code ROUND_ROBIN} steps a shared counter, and {@code executeOn} pays neither.
 * {@link SubmitCost} measures the same choices inside a real submit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Threads(1)
public class CpuLookupCost {

    private static final int SLOTS = 2;

    private final AtomicInteger roundRobin = new AtomicInteger();

    private int cpu = 1;

    /** The baseline: a call the JIT may not inline, returning a field. */
    @Benchmark
    public int plainCall() {
        return notInlined();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private int notInlined() {
        return cpu;
    }

    /** What {@code LOCAL} selection pays on every submit. */
    @Benchmark
    public int schedGetcpu() {
        return BenchmarkAffinity.currentCpu();
    }

    /** What {@code ROUND_ROBIN} selection pays on every submit, uncontended. */
    @Benchmark
    public int roundRobinCounter() {
        return Math.floorMod(roundRobin.getAndIncrement(), SLOTS);
    }
}
