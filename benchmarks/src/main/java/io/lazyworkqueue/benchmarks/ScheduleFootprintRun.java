package io.lazyworkqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * One scheduler's footprint in this JVM: it runs one job at a fixed rate of one run a second for
 * the length of the run, while this thread samples the JVM's threads every {@value #SAMPLE_MILLIS}
 * ms. The sampling takes no thread of its own, so every thread it counts beyond the baseline is
 * the scheduler's.
 */
final class ScheduleFootprintRun {

    static final Duration PERIOD = Duration.ofSeconds(1);

    static final long SAMPLE_MILLIS = 100;

    private final SchedulePeer peer;

    private final Duration length;

    private final int workMicros;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private final AtomicInteger runs = new AtomicInteger();

    /**
     * @param peer the scheduler to measure
     * @param length how long the job runs
     * @param workMicros the CPU work of each run, in microseconds on the reference machine
     */
    ScheduleFootprintRun(SchedulePeer peer, Duration length, int workMicros) {
        this.peer = peer;
        this.length = length;
        this.workMicros = workMicros;
    }

    /**
     * Runs the job and stops the scheduler.
     * @return the samples in time order
     * @throws InterruptedException if the calling thread is interrupted
     */
    List<ScheduleSample> run() throws InterruptedException {
        Runnable job = () -> {
            CpuWork.spin(workMicros);
            runs.incrementAndGet();
        };
        Set<Long> before = LongStream.of(threads.getAllThreadIds()).boxed().collect(Collectors.toSet());
        int baseline = threads.getThreadCount();
        long startedBefore = threads.getTotalStartedThreadCount();
        long start = System.nanoTime();
        Runnable stop = peer.start(job, PERIOD);
        List<ScheduleSample> samples = new ArrayList<>();
        long end = start + length.toNanos();
        for (long due = start; due <= end; due += TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS)) {
            TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
            samples.add(new ScheduleSample(peer, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    threads.getThreadCount() - baseline, threads.getTotalStartedThreadCount() - startedBefore,
                    runs.get()));
        }
        System.err.println(peer + ": threads added at the end: " + namesOfThreadsNotIn(before));
        stop.run();
        return samples;
    }

    private static Set<String> namesOfThreadsNotIn(Set<Long> ids) {
        Set<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!ids.contains(thread.getId())) {
                names.add(thread.getName());
            }
        }
        return names;
    }
}
