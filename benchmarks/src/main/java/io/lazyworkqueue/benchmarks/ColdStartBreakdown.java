package io.lazyworkqueue.benchmarks;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.lazyworkqueue.BenchmarkAffinity;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.PoolStats;
import io.lazyworkqueue.WorkqueueEventType;

import org.HdrHistogram.Histogram;

/**
 * Where the lazy workqueue's cold start goes: the engine's own lifecycle events, timed by a
 * listener on the thread that records each one, split {@link ColdStartLatency}'s number into the
 * submitter's part, the worker's creation and start, the worker pinning itself, and the worker
 * reaching the task. In engine v2 a pool without workers gets its first worker from the
 * submitting thread itself (the manager only steps in when that start fails or the pool cools
 * down), so the spawn phase runs inside {@code execute()}, as in a {@code ThreadPoolExecutor}. For
 * scale it also times a bare {@code new Thread().start()} from the submitter, which is what a
 * {@code ThreadPoolExecutor} pays on its cold path.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.lazyworkqueue.benchmarks.ColdStartBreakdown [samples [submitter-cpu]]
 * </pre>
 *
 * <p>With a submitter CPU, the submitting thread pins itself there first. The worker inherits the
 * submitter's affinity when it starts and then pins itself to its own CPU, so a submitter pinned
 * to the worker's CPU shares that CPU with the new worker.
 */
public final class ColdStartBreakdown {

    private static final int WARMUP = 300;

    /** Values are kept to within 0.1%: as fine as the 0.1 µs printed, up to 100 µs. */
    private static final int SIGNIFICANT_DIGITS = 3;

    private ColdStartBreakdown() {
    }

    public static void main(String[] args) throws InterruptedException {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        if (args.length > 1 && !BenchmarkAffinity.pinCurrentThread(Integer.parseInt(args[1]))) {
            throw new IllegalStateException("could not pin the submitter to CPU " + args[1]);
        }
        Map<WorkqueueEventType, Long> seen = new EnumMap<>(WorkqueueEventType.class);
        String[] names = { "execute() in the submitter (v2: worker creation and start included)",
            "SPAWN_REQUESTED -> SPAWNED (submitter creates, starts the worker)",
            "SPAWNED -> PINNED (sched_setaffinity)", "PINNED -> task starts",
            "total: execute() -> task starts", "reference: new Thread().start() -> run()" };
        Histogram[] phases = new Histogram[names.length];
        for (int p = 0; p < phases.length; p++) {
            phases[p] = new Histogram(SIGNIFICANT_DIGITS);
        }
        try (LazyWorkqueue workqueue = PeerSettings.allowedCpus().lazyWorkqueue("cold")
                .idleTimeout(Duration.ofMillis(1))
                .listener((name, event) -> {
                    synchronized (seen) {
                        seen.putIfAbsent(event.type(), System.nanoTime());
                    }
                })
                .build()) {
            for (int i = -WARMUP; i < samples; i++) {
                awaitNoWorker(workqueue);
                synchronized (seen) {
                    seen.clear();
                }
                long[] ran = new long[1];
                CountDownLatch done = new CountDownLatch(1);
                long submitted = System.nanoTime();
                workqueue.execute(() -> {
                    ran[0] = System.nanoTime();
                    done.countDown();
                });
                long returned = System.nanoTime();
                done.await();
                long threadStarted = timeThreadStart();
                if (i < 0) {
                    continue;
                }
                synchronized (seen) {
                    long requested = seen.getOrDefault(WorkqueueEventType.SPAWN_REQUESTED, submitted);
                    long spawned = seen.getOrDefault(WorkqueueEventType.SPAWNED, requested);
                    long pinned = seen.getOrDefault(WorkqueueEventType.PINNED, spawned);
                    phases[0].recordValue(returned - submitted);
                    phases[1].recordValue(spawned - requested);
                    phases[2].recordValue(pinned - spawned);
                    phases[3].recordValue(ran[0] - pinned);
                    phases[4].recordValue(ran[0] - submitted);
                    phases[5].recordValue(threadStarted);
                }
            }
        }
        System.out.printf(Locale.ROOT, "Cold start of the lazy workqueue, %d samples, submitter %s, microseconds%n",
                samples, args.length > 1 ? "pinned to CPU " + args[1] : "unpinned");
        System.out.printf(Locale.ROOT, "%-68s %8s %8s %8s%n", "phase", "p50", "p90", "p99");
        for (int p = 0; p < names.length; p++) {
            System.out.printf(Locale.ROOT, "%-68s %8.1f %8.1f %8.1f%n", names[p], micros(phases[p], 50),
                    micros(phases[p], 90), micros(phases[p], 99));
        }
    }

    private static double micros(Histogram nanos, double percentile) {
        return nanos.getValueAtPercentile(percentile) / 1000.0;
    }

    /** @return nanoseconds from {@code start()} in this thread to {@code run()} in the new one */
    private static long timeThreadStart() throws InterruptedException {
        long[] ran = new long[1];
        Thread thread = new Thread(() -> ran[0] = System.nanoTime());
        long start = System.nanoTime();
        thread.start();
        thread.join();
        return ran[0] - start;
    }

    private static void awaitNoWorker(LazyWorkqueue workqueue) {
        for (;;) {
            boolean none = true;
            for (PoolStats pool : workqueue.pools()) {
                none &= pool.workers() == 0;
            }
            if (none) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }
}
