package io.lazyworkqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;

/**
 * The scrape cost of {@link ScrapeCost} measured in CPU time of the scraping thread as well as
 * wall time: on a machine shared with other work, wall time counts the time the thread waited for
 * a CPU, and CPU time does not. Reads every meter and then scrapes, alternately, and prints the
 * median and 90th percentile of each.
 *
 * <pre>java -cp benchmarks.jar io.lazyworkqueue.benchmarks.ScrapeCostHarness [warmup scrapes] [measured scrapes]</pre>
 */
public final class ScrapeCostHarness {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static double sink;

    private ScrapeCostHarness() {
    }

    public static void main(String[] args) throws InterruptedException {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        ScrapeCost.Scraped state = new ScrapeCost.Scraped();
        state.open();
        try {
            long[][] read = new long[2][measured];
            long[][] scrape = new long[2][measured];
            for (int i = -warmup; i < measured; i++) {
                long[] readTimes = time(() -> readEveryMeter(state));
                long[] scrapeTimes = time(() -> sink += state.registry.scrape().length());
                if (i >= 0) {
                    read[0][i] = readTimes[0];
                    read[1][i] = readTimes[1];
                    scrape[0][i] = scrapeTimes[0];
                    scrape[1][i] = scrapeTimes[1];
                }
            }
            System.out.printf(Locale.ROOT, "%d queues x %d CPUs, %d meters, %d scrapes measured after %d%n",
                    ScrapeCost.QUEUES, ScrapeCost.CPUS, state.registry.getMeters().size(), measured, warmup);
            report("readEveryMeter", read);
            report("prometheusScrape", scrape);
        }
        finally {
            state.close();
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void readEveryMeter(ScrapeCost.Scraped state) {
        for (Meter meter : state.registry.getMeters()) {
            for (Measurement measurement : meter.measure()) {
                sink += measurement.getValue();
            }
        }
    }

    /** @return CPU time and wall time of the run, in nanoseconds */
    private static long[] time(Runnable run) {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        run.run();
        return new long[] { THREADS.getCurrentThreadCpuTime() - cpuStart, System.nanoTime() - wallStart };
    }

    private static void report(String name, long[][] times) {
        long[] cpu = times[0].clone();
        long[] wall = times[1].clone();
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%-17s cpu p50 %8.1f us  p90 %8.1f us   wall p50 %8.1f us  p90 %8.1f us%n", name,
                cpu[cpu.length / 2] / 1e3, cpu[cpu.length * 9 / 10] / 1e3, wall[wall.length / 2] / 1e3,
                wall[wall.length * 9 / 10] / 1e3);
    }
}
