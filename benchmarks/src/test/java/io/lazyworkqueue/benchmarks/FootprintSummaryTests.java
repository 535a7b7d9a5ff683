package io.lazyworkqueue.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FootprintSummaryTests {

    @Test
    void takesBaselineBeforeTheQueuesAndIdleFromTheEndOfTheQuietPeriod() {
        List<FootprintSample> samples = List.of(
                sample(0, "baseline", 10, 50_000),
                sample(50, "baseline", 11, 51_000),
                sample(100, "open", 20, 52_000),
                sample(150, "burst", 40, 60_000),
                sample(200, "quiet", 40, 59_000),
                sample(250, "quiet", 12, 55_000),
                sample(300, "closed", 11, 54_000));
        FootprintSummary summary = FootprintSummary.of(samples, 41);
        assertThat(summary).isEqualTo(new FootprintSummary(64, Peer.LAZY, 11, 41, 12, 51_000, 60_000, 55_000));
        assertThat(summary.tableRow()).contains("LAZY").contains("(+ 30)").contains("(+  1)");
    }

    @Test
    void samplesSurviveTheirCsvForm() {
        FootprintSample sample = sample(1234, "burst", 99, 123_456);
        assertThat(FootprintSample.parseCsv(sample.toCsv())).isEqualTo(sample);
    }

    private static FootprintSample sample(long millis, String phase, int threads, long kilobytes) {
        return new FootprintSample(64, Peer.LAZY, millis, phase, threads, kilobytes);
    }
}
