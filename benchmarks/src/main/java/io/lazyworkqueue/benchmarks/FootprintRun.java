package io.lazyworkqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One peer's footprint in this JVM: {@code queues} executors over {@code cpus} CPUs go through a
 * few bursts of work and then a quiet period longer than the idle timeout, while a sampler records
 * live threads and resident memory every {@value #SAMPLE_MILLIS} ms.
 */
final class FootprintRun {

    private static final long SAMPLE_MILLIS = 50;

    private static final int BURSTS = 3;

    /** Shorter than the idle timeout: a burst finds the threads of the previous one still there. */
    private static final Duration BURST_GAP = Duration.ofMillis(300);

    private static final int TASKS_PER_CPU = 10;

    private static final int TASK_MICROS = 50;

    private final Peer peer;

    private final PeerSettings settings;

    private final int queues;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private final List<FootprintSample> samples = new ArrayList<>();

    private final long start = System.nanoTime();

    private volatile String phase = "baseline";

    private volatile boolean sampling = true;

    /**
     * @param peer the peer to measure
     * @param cpus how many CPUs each queue spans
     * @param queues how many queues (executors) the application has
     * @param idleTimeout the idle timeout of the lazy workqueue, and of the Spring peer that matches it
     */
    FootprintRun(Peer peer, int cpus, int queues, Duration idleTimeout) {
        this.peer = peer;
        this.settings = PeerSettings.cpuCount(cpus, idleTimeout);
        this.queues = queues;
    }

    /**
     * Runs the workload.
     * @return the samples, in time order, and the JVM's peak thread count since the queues opened
     * @throws InterruptedException if the calling thread is interrupted
     */
    Result run() throws InterruptedException {
        Thread sampler = new Thread(this::sampleUntilStopped, "footprint-sampler");
        sampler.setDaemon(true);
        sampler.start();
        sleep(Duration.ofMillis(300));

        threads.resetPeakThreadCount();
        phase = "open";
        List<PeerExecutor> executors = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            executors.add(peer.open(settings));
        }
        sleep(Duration.ofMillis(200));

        phase = "burst";
        for (int burst = 0; burst < BURSTS; burst++) {
            burst(executors);
            sleep(BURST_GAP);
        }

        phase = "quiet";
        sleep(settings.idleTimeout().plusSeconds(1));
        sample();
        int peakThreads = threads.getPeakThreadCount();

        phase = "closed";
        executors.forEach(PeerExecutor::close);
        sleep(Duration.ofMillis(200));
        sampling = false;
        sampler.join();
        sample();
        synchronized (samples) {
            return new Result(List.copyOf(samples), peakThreads);
        }
    }

    /** Every CPU of every queue gets {@value #TASKS_PER_CPU} tasks; returns when all have run. */
    private void burst(List<PeerExecutor> executors) throws InterruptedException {
        int cpus = settings.cpus().size();
        CountDownLatch done = new CountDownLatch(executors.size() * cpus * TASKS_PER_CPU);
        Runnable task = () -> {
            CpuWork.spin(TASK_MICROS);
            done.countDown();
        };
        for (PeerExecutor executor : executors) {
            for (int i = 0; i < cpus; i++) {
                int cpu = settings.cpus().get(i);
                for (int n = 0; n < TASKS_PER_CPU; n++) {
                    executor.executeOn(cpu, task);
                }
            }
        }
        if (!done.await(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException(peer + " did not run a burst within a minute");
        }
    }

    private void sampleUntilStopped() {
        while (sampling) {
            sample();
            try {
                Thread.sleep(SAMPLE_MILLIS);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void sample() {
        FootprintSample sample = new FootprintSample(settings.cpus().size(), peer,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), phase, threads.getThreadCount(),
                ProcessStatus.residentKilobytes());
        synchronized (samples) {
            samples.add(sample);
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /**
     * @param samples the samples in time order
     * @param peakThreads the JVM's peak live thread count from the moment the queues opened
     */
    record Result(List<FootprintSample> samples, int peakThreads) {
    }
}
