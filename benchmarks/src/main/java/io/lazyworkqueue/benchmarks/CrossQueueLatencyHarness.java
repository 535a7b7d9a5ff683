package io.lazyworkqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjIntConsumer;

import io.lazyworkqueue.LazyWorkqueue;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The latency bound across queues of engine v2 (issue 11): on one CPU, queue A runs a 100 ms task,
 * either CPU-bound (a spin) or blocking (a sleep); 1 ms after it has started, a 1 µs task of queue
 * B is submitted to the same CPU. Each trial records how long B's task waited to start, and
 * whether it started before A's task ended; in the CPU-bound case also how much CPU time A's thread
 * had used by then, since v2's concurrency rule counts A's CPU time, not the wall time, and on a
 * loaded machine the two differ. A third case submits a task from inside a task of the
 * same queue and waits for it ({@code submit().get()}), and records whether the outer task
 * completes and how long the inner one waited.
 *
 * <pre>
 * java -Dlazyworkqueue.engine-v1.jar=... -cp benchmarks/target/benchmarks.jar io.lazyworkqueue.benchmarks.CrossQueueLatencyHarness [trials]
 * </pre>
 *
 * <p>Each trial opens its queues afresh and runs one task on each before it measures, so the
 * queues are warm but nothing else is running: for {@link Peer#LAZY} (v2, defaults, so the
 * concurrency threshold is 10 ms) both queues share the CPU's pool, which has one idle worker and
 * no manager thread when A's task arrives, so B's task waits for the manager to find A's worker
 * stuck and start another. {@link Peer#LAZY_V1} gives each queue its own worker per CPU, so B's
 * task goes to B's own warm worker (at the price of those threads: see the footprint). {@link
 * Peer#SPRING_BOOT_DEFAULTS} is one executor with Boot's defaults used for both queues, as an
 * application shares Boot's one {@code applicationTaskExecutor}: eight core threads, unpinned.
 */
public final class CrossQueueLatencyHarness {

    private static final long TASK_A_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final long SUBMIT_B_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int TASK_B_MICROS = 1;

    /** How long the nested case waits for the outer task before it calls it a deadlock. */
    private static final long NESTED_TIMEOUT_MILLIS = 2000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final List<Peer> PEERS = List.of(Peer.LAZY, Peer.LAZY_V1, Peer.SPRING_BOOT_DEFAULTS);

    private final PeerSettings settings = PeerSettings.cpuCount(1, PeerSettings.DEFAULT_IDLE_TIMEOUT);

    private final int cpu = settings.cpus().get(0);

    private CrossQueueLatencyHarness() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        new CrossQueueLatencyHarness().run(trials);
    }

    private void run(int trials) throws Exception {
        System.out.printf(Locale.ROOT, "Cross-queue latency on CPU %d (%s), %d trials per row, milliseconds%n", cpu,
                settings.affinity(), trials);
        System.out.printf(Locale.ROOT, "%-34s %-22s %7s %7s %7s %7s %7s  %s%n", "case", "peer", "trials", "min", "p50",
                "p90", "max", "note");
        for (Peer peer : PEERS) {
            if (peer.unavailable().isPresent()) {
                System.out.println(peer + " left out: " + peer.unavailable().get());
                continue;
            }
            // One untimed round of each case, for class loading and the JIT.
            crossQueue(peer, false);
            crossQueue(peer, true);
            print("(a) B behind 100 ms CPU-bound A", peer, crossQueueTrials(peer, false, trials));
            print("(b) B behind 100 ms blocking A", peer, crossQueueTrials(peer, true, trials));
            print("(c) submit().get() in a task", peer, nested(peer, trials));
        }
    }

    /** Latencies of B's start in microseconds, and how many of them started after A had ended. */
    private record Trials(long[] micros, String note) {
    }

    private Trials crossQueueTrials(Peer peer, boolean blocking, int trials) throws Exception {
        long[] micros = new long[trials];
        long[] aCpuMicros = new long[trials];
        int late = 0;
        for (int t = 0; t < trials; t++) {
            long[] result = crossQueue(peer, blocking);
            micros[t] = result[0];
            late += (int) result[1];
            aCpuMicros[t] = result[2];
        }
        Arrays.sort(aCpuMicros);
        String note = late == 0 ? "B always started while A ran" : late + " of " + trials + " B started only after A ended";
        if (!blocking) {
            note += String.format(Locale.ROOT, "; CPU time A had used when B started: p50 %.2f, max %.2f",
                    percentile(aCpuMicros, 50) / 1000.0, aCpuMicros[trials - 1] / 1000.0);
        }
        return new Trials(micros, note);
    }

    /**
     * @return B's wait in microseconds; 1 if B started only after A's task ended, else 0; and the
     * CPU time A's thread had used from A's start to B's start, in microseconds
     */
    private long[] crossQueue(Peer peer, boolean blocking) throws Exception {
        try (Queues queues = Queues.open(peer, settings)) {
            warm(queues.a);
            warm(queues.b);
            CountDownLatch aStarted = new CountDownLatch(1);
            CountDownLatch aDone = new CountDownLatch(1);
            AtomicLong aEnded = new AtomicLong();
            AtomicLong aThread = new AtomicLong();
            AtomicLong aCpuAtStart = new AtomicLong();
            queues.a.accept(() -> {
                aThread.set(Thread.currentThread().getId());
                aCpuAtStart.set(THREADS.getCurrentThreadCpuTime());
                aStarted.countDown();
                long end = System.nanoTime() + TASK_A_NANOS;
                try {
                    if (blocking) {
                        TimeUnit.NANOSECONDS.sleep(TASK_A_NANOS);
                    }
                    else {
                        while (System.nanoTime() < end) {
                            CpuWork.spin(10);
                        }
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                aEnded.set(System.nanoTime());
                aDone.countDown();
            }, cpu);
            aStarted.await();
            long submitAt = System.nanoTime() + SUBMIT_B_AFTER_NANOS;
            for (long left = SUBMIT_B_AFTER_NANOS; left > 0; left = submitAt - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            CountDownLatch bDone = new CountDownLatch(1);
            AtomicLong bStarted = new AtomicLong();
            AtomicLong aCpuAtB = new AtomicLong();
            long submitted = System.nanoTime();
            queues.b.accept(() -> {
                bStarted.set(System.nanoTime());
                aCpuAtB.set(THREADS.getThreadCpuTime(aThread.get()));
                CpuWork.spin(TASK_B_MICROS);
                bDone.countDown();
            }, cpu);
            bDone.await();
            aDone.await();
            return new long[] { (bStarted.get() - submitted) / 1000, bStarted.get() > aEnded.get() ? 1 : 0,
                (aCpuAtB.get() - aCpuAtStart.get()) / 1000 };
        }
    }

    /** {@code submit().get()} from a task: the inner task's wait in microseconds, or a deadlock. */
    private Trials nested(Peer peer, int trials) throws Exception {
        List<Long> micros = new ArrayList<>();
        int deadlocks = 0;
        for (int t = 0; t < trials && deadlocks == 0; t++) {
            ExecutorService executor = switch (peer) {
                case LAZY -> settings.lazyWorkqueue("nested").build();
                case LAZY_V1 -> EngineV1.load().open("nested", settings).executor();
                default -> SpringBootDefaults.taskExecutor().getThreadPoolExecutor();
            };
            try {
                executor.submit(() -> null).get();
                AtomicLong innerStarted = new AtomicLong();
                long[] innerSubmitted = new long[1];
                Future<?> outer = executor.submit(() -> {
                    innerSubmitted[0] = System.nanoTime();
                    return executor.submit(() -> innerStarted.set(System.nanoTime())).get();
                });
                try {
                    outer.get(NESTED_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    micros.add((innerStarted.get() - innerSubmitted[0]) / 1000);
                }
                catch (TimeoutException ex) {
                    deadlocks++;
                    outer.cancel(true);
                }
            }
            finally {
                executor.shutdownNow();
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(executor + " did not terminate");
                }
            }
        }
        String note = deadlocks == 0 ? "outer task always completed"
                : "DEADLOCK: outer task not done after " + NESTED_TIMEOUT_MILLIS + " ms (trial " + (micros.size() + 1)
                        + "; stopped there)";
        return new Trials(micros.stream().mapToLong(Long::longValue).toArray(), note);
    }

    private static void warm(ObjIntConsumer<Runnable> queue) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        queue.accept(ran::countDown, 0);
        ran.await();
    }

    private static void print(String name, Peer peer, Trials trials) {
        long[] sorted = trials.micros().clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            System.out.printf(Locale.ROOT, "%-34s %-22s %7d %7s %7s %7s %7s  %s%n", name, peer, 0, "-", "-", "-", "-",
                    trials.note());
            return;
        }
        System.out.printf(Locale.ROOT, "%-34s %-22s %7d %7.2f %7.2f %7.2f %7.2f  %s%n", name, peer, sorted.length,
                sorted[0] / 1000.0, percentile(sorted, 50) / 1000.0, percentile(sorted, 90) / 1000.0,
                sorted[sorted.length - 1] / 1000.0, trials.note());
    }

    private static long percentile(long[] sorted, int percent) {
        return sorted[Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    /** Queue A and queue B of one trial, each taking a task and a CPU. */
    private static final class Queues implements AutoCloseable {

        final ObjIntConsumer<Runnable> a;

        final ObjIntConsumer<Runnable> b;

        private final List<ExecutorService> lifecycles;

        private Queues(ObjIntConsumer<Runnable> a, ObjIntConsumer<Runnable> b, List<ExecutorService> lifecycles) {
            this.a = a;
            this.b = b;
            this.lifecycles = lifecycles;
        }

        static Queues open(Peer peer, PeerSettings settings) {
            switch (peer) {
                case LAZY -> {
                    // Two workqueues with the same thread settings share the CPU's pool; their names
                    // differ, so the worker renames itself when it turns from one to the other.
                    LazyWorkqueue a = settings.lazyWorkqueue("queue-a").build();
                    LazyWorkqueue b = settings.lazyWorkqueue("queue-b").build();
                    return new Queues((task, cpu) -> a.executeOn(settings.cpus().get(0), task),
                            (task, cpu) -> b.executeOn(settings.cpus().get(0), task), List.of(a, b));
                }
                case LAZY_V1 -> {
                    WorkqueueV1 a = EngineV1.load().open("queue-a", settings);
                    WorkqueueV1 b = EngineV1.load().open("queue-b", settings);
                    return new Queues((task, cpu) -> a.executeOn(settings.cpus().get(0), task),
                            (task, cpu) -> b.executeOn(settings.cpus().get(0), task), List.of(a.executor(), b.executor()));
                }
                case SPRING_BOOT_DEFAULTS -> {
                    ThreadPoolTaskExecutor shared = SpringBootDefaults.taskExecutor();
                    return new Queues((task, cpu) -> shared.execute(task), (task, cpu) -> shared.execute(task),
                            List.of(shared.getThreadPoolExecutor()));
                }
                default -> throw new IllegalArgumentException("not measured here: " + peer);
            }
        }

        @Override
        public void close() {
            for (ExecutorService lifecycle : lifecycles) {
                lifecycle.shutdown();
            }
            try {
                for (ExecutorService lifecycle : lifecycles) {
                    if (!lifecycle.awaitTermination(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(lifecycle + " did not terminate within 30 s");
                    }
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while closing the queues", ex);
            }
        }
    }
}
