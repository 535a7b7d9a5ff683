package io.lazyworkqueue.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * One row of the footprint table: what a peer added to the JVM's threads and resident memory at
 * its peak and once the quiet period had outlasted the idle timeout.
 * @param cpus how many CPUs each queue spans
 * @param peer the peer
 * @param baselineThreads live threads before any queue existed
 * @param peakThreads the JVM's peak live thread count (ThreadMXBean), which catches threads that
 * lived between two samples
 * @param idleThreads live threads at the end of the quiet period
 * @param baselineKilobytes resident memory before any queue existed
 * @param peakKilobytes the most resident memory sampled while the queues existed
 * @param idleKilobytes resident memory at the end of the quiet period
 */
record FootprintSummary(int cpus, Peer peer, int baselineThreads, int peakThreads, int idleThreads,
        long baselineKilobytes, long peakKilobytes, long idleKilobytes) {

    static final String TABLE_HEADER = String.format(Locale.ROOT, "%5s  %-25s %9s %13s %13s %9s %9s %9s",
            "cpus", "peer", "threads", "peak (+)", "idle (+)", "RSS MB", "peak MB", "idle MB");

    /**
     * @param samples one run's samples in time order
     * @param peakThreads the JVM's peak thread count during the run
     * @return the summary
     */
    static FootprintSummary of(List<FootprintSample> samples, int peakThreads) {
        FootprintSample first = samples.get(0);
        int baselineThreads = 0;
        long baselineKilobytes = 0;
        long peakKilobytes = 0;
        FootprintSample lastQuiet = null;
        for (FootprintSample sample : samples) {
            switch (sample.phase()) {
                case "baseline" -> {
                    baselineThreads = Math.max(baselineThreads, sample.threads());
                    baselineKilobytes = sample.residentKilobytes();
                }
                case "open", "burst", "quiet" -> {
                    peakKilobytes = Math.max(peakKilobytes, sample.residentKilobytes());
                    if (sample.phase().equals("quiet")) {
                        lastQuiet = sample;
                    }
                }
                default -> {
                }
            }
        }
        if (lastQuiet == null) {
            throw new IllegalArgumentException("no sample of the quiet period for " + first.peer());
        }
        return new FootprintSummary(first.cpus(), first.peer(), baselineThreads, peakThreads, lastQuiet.threads(),
                baselineKilobytes, peakKilobytes, lastQuiet.residentKilobytes());
    }

    /** @return the row, aligned under {@link #TABLE_HEADER} */
    String tableRow() {
        return String.format(Locale.ROOT, "%5d  %-25s %9d %7d (+%3d) %7d (+%3d) %9.1f %9.1f %9.1f", cpus, peer,
                baselineThreads, peakThreads, peakThreads - baselineThreads, idleThreads,
                idleThreads - baselineThreads, baselineKilobytes / 1024.0, peakKilobytes / 1024.0,
                idleKilobytes / 1024.0);
    }
}
