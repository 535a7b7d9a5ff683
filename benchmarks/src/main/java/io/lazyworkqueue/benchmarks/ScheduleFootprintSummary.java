package io.lazyworkqueue.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * One row of the schedule footprint table: the threads a scheduler added, from the job's first run
 * to the end of the run. Each sample's thread count is taken to hold until the next sample, so
 * the mean and the shares are weighted by time, and a late or missed sample does not skew them.
 * @param peer the scheduler
 * @param seconds how long the summary covers, from the first sample that saw a run to the last
 * @param meanThreads the time-weighted mean of the threads added
 * @param minThreads the fewest threads added at a sample
 * @param maxThreads the most threads added at a sample
 * @param started threads started over the whole run
 * @param runs the job's runs over the whole run
 * @param noThread the share of the time with no thread added (or fewer than before the scheduler)
 * @param oneThread the share of the time with one thread added
 * @param moreThreads the share of the time with two threads added or more
 */
record ScheduleFootprintSummary(SchedulePeer peer, double seconds, double meanThreads, int minThreads,
        int maxThreads, long started, int runs, double noThread, double oneThread, double moreThreads) {

    static final String TABLE_HEADER = String.format(Locale.ROOT, "%-16s %7s %7s %5s %5s %8s %5s %7s %7s %7s",
            "peer", "seconds", "mean", "min", "max", "started", "runs", "0", "1", "2+");

    /**
     * @param samples one run's samples in time order
     * @return the summary from the first sample that saw the job run
     * @throws IllegalArgumentException if fewer than two samples saw the job run
     */
    static ScheduleFootprintSummary of(List<ScheduleSample> samples) {
        int first = 0;
        while (first < samples.size() && samples.get(first).runs() == 0) {
            first++;
        }
        if (first >= samples.size() - 1) {
            throw new IllegalArgumentException("fewer than two samples after the job's first run");
        }
        ScheduleSample last = samples.get(samples.size() - 1);
        long[] millisWith = new long[3];
        double threadMillis = 0;
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = first; i < samples.size(); i++) {
            ScheduleSample sample = samples.get(i);
            min = Math.min(min, sample.threads());
            max = Math.max(max, sample.threads());
            if (i + 1 < samples.size()) {
                long held = samples.get(i + 1).millis() - sample.millis();
                threadMillis += (double) sample.threads() * held;
                millisWith[Math.min(2, Math.max(0, sample.threads()))] += held;
            }
        }
        double millis = last.millis() - samples.get(first).millis();
        return new ScheduleFootprintSummary(last.peer(), millis / 1000, threadMillis / millis, min, max,
                last.started(), last.runs(), millisWith[0] / millis, millisWith[1] / millis, millisWith[2] / millis);
    }

    /** @return the row, aligned under {@link #TABLE_HEADER}, the shares in percent */
    String tableRow() {
        return String.format(Locale.ROOT, "%-16s %7.1f %7.2f %5d %5d %8d %5d %6.1f%% %6.1f%% %6.1f%%", peer, seconds,
                meanThreads, minThreads, maxThreads, started, runs, 100 * noThread, 100 * oneThread, 100 * moreThreads);
    }
}
