package io.lazyworkqueue.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.lazyworkqueue.BenchmarkAffinity;
import io.lazyworkqueue.CpuSnapshot;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.WorkqueueEventType;

/**
 * Where the lazy workqueue's cold start goes: the engine's own lifecycle events, timed by a
 * listener on the thread that records each one, split {@link ColdStartLatency}'s number into the
 * submitter's part, the core thread creating and starting the worker, the worker pinning itself,
 * and the worker reaching the task. For scale it also times a bare {@code new Thread().start()}
 * from the submitter, which is what a {@code ThreadPoolExecutor} pays on its cold path.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.lazyworkqueue.benchmarks.ColdStartBreakdown [samples [submitter-cpu]]
 * </pre>
 *
 * <p>With a submitter CPU, the submitting thread pins itself there first: the core thread is
 * pinned to the lowest CPU, and a submitter on that CPU waits while the core thread works.
 */
public final class ColdStartBreakdown {

    private static final int WARMUP = 300;

    private ColdStartBreakdown() {
    }

    public static void main(String[] args) throws InterruptedException {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        if (args.length > 1 && !BenchmarkAffinity.pinCurrentThread(Integer.parseInt(args[1]))) {
            throw new IllegalStateException("could not pin the submitter to CPU " + args[1]);
        }
        Map<WorkqueueEventType, Long> seen = new EnumMap<>(WorkqueueEventType.class);
        long[][] phases = new long[6][samples];
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
                    phases[0][i] = returned - submitted;
                    phases[1][i] = spawned - requested;
                    phases[2][i] = pinned - spawned;
                    phases[3][i] = ran[0] - pinned;
                    phases[4][i] = ran[0] - submitted;
                    phases[5][i] = threadStarted;
                }
            }
        }
        String[] names = { "execute() in the submitter (spawn request included)",
            "spawn request -> SPAWNED (core wakes, creates, starts the worker)",
            "SPAWNED -> PINNED (sched_setaffinity)", "PINNED -> task starts",
            "total: execute() -> task starts", "reference: new Thread().start() -> run()" };
        System.out.printf(Locale.ROOT, "Cold start of the lazy workqueue, %d samples, submitter %s, microseconds%n",
                samples, args.length > 1 ? "pinned to CPU " + args[1] : "unpinned");
        System.out.printf(Locale.ROOT, "%-68s %8s %8s %8s%n", "phase", "p50", "p90", "p99");
        for (int p = 0; p < names.length; p++) {
            long[] sorted = phases[p].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-68s %8.1f %8.1f %8.1f%n", names[p], micros(sorted, 0.50),
                    micros(sorted, 0.90), micros(sorted, 0.99));
        }
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))] / 1000.0;
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
            for (CpuSnapshot cpu : workqueue.snapshot().cpus()) {
                none &= cpu.threads().isEmpty();
            }
            if (none) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }
}
