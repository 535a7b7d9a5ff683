package io.lazyworkqueue.benchmarks;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.LazyWorkqueue;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What it costs a v2 worker to turn from one workqueue to another (issue 11, item 5): the worker
 * renames itself after the workqueue whose task it runs. Two measures:
 * <ul>
 * <li>{@code setName}: {@link Thread#setName} on the current thread, alternating between two
 * names, which is the rename itself (on Linux it also sets the native thread name);</li>
 * <li>{@code oneQueue} against {@code twoQueuesAlternating}: batches of {@value #BATCH} empty tasks
 * on one CPU, all to one workqueue, or alternating between two workqueues with different names
 * that share the CPU's pool, so that the worker turns (clears its interrupt flag, renames itself,
 * sets its workqueue) before every task. The difference per task is the cost of a turn in the
 * engine.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Threads(1)
public class QueueSwitchCost {

    static final int BATCH = 100;

    private final PeerSettings settings = PeerSettings.cpuCount(1, PeerSettings.DEFAULT_IDLE_TIMEOUT);

    private final CompletionBatch batch = new CompletionBatch(0);

    private LazyWorkqueue first;

    private LazyWorkqueue second;

    private Executor one;

    private Executor alternating;

    private boolean flip;

    private final String[] names = { "switch-a/0:0", "switch-b/0:0" };

    private int name;

    @Setup(Level.Trial)
    public void open() {
        first = settings.lazyWorkqueue("switch-a").build();
        second = settings.lazyWorkqueue("switch-b").build();
        int cpu = settings.cpus().get(0);
        one = task -> first.executeOn(cpu, task);
        alternating = task -> {
            flip = !flip;
            (flip ? first : second).executeOn(cpu, task);
        };
    }

    @TearDown(Level.Trial)
    public void close() {
        first.close();
        second.close();
    }

    @Benchmark
    public void setName() {
        name ^= 1;
        Thread.currentThread().setName(names[name]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void oneQueue() {
        batch.run(one, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void twoQueuesAlternating() {
        batch.run(alternating, BATCH);
    }
}
