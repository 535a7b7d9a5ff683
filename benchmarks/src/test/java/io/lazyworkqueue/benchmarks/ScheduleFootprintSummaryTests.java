package io.lazyworkqueue.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class ScheduleFootprintSummaryTests {

    @Test
    void weighsEachSampleByTheTimeUntilTheNextOneFromTheJobsFirstRun() {
        List<ScheduleSample> samples = List.of(
                sample(0, 5, 1, 0),
                sample(100, 2, 2, 1),
                sample(400, 1, 2, 1),
                sample(500, 0, 2, 2),
                sample(1100, 3, 4, 2));
        ScheduleFootprintSummary summary = ScheduleFootprintSummary.of(samples);
        assertThat(summary.seconds()).isCloseTo(1.0, within(1e-9));
        assertThat(summary.meanThreads()).isCloseTo(0.7, within(1e-9));
        assertThat(summary.minThreads()).isZero();
        assertThat(summary.maxThreads()).isEqualTo(3);
        assertThat(summary.noThread()).isCloseTo(0.6, within(1e-9));
        assertThat(summary.oneThread()).isCloseTo(0.1, within(1e-9));
        assertThat(summary.moreThreads()).isCloseTo(0.3, within(1e-9));
        assertThat(summary.started()).isEqualTo(4);
        assertThat(summary.runs()).isEqualTo(2);
        assertThat(summary.tableRow()).startsWith("LAZY ").contains(" 0.70 ").contains("60.0%").contains("30.0%");
    }

    @Test
    void countsFewerThreadsThanBeforeTheSchedulerAsNoThread() {
        ScheduleFootprintSummary summary = ScheduleFootprintSummary.of(List.of(
                sample(0, -1, 0, 1),
                sample(100, 1, 1, 1),
                sample(200, 1, 1, 1)));
        assertThat(summary.noThread()).isCloseTo(0.5, within(1e-9));
        assertThat(summary.oneThread()).isCloseTo(0.5, within(1e-9));
        assertThat(summary.meanThreads()).isZero();
        assertThat(summary.minThreads()).isEqualTo(-1);
    }

    @Test
    void refusesARunWithFewerThanTwoSamplesAfterTheJobsFirstRun() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScheduleFootprintSummary.of(List.of(
                sample(0, 1, 1, 0),
                sample(100, 1, 1, 1))));
    }

    @Test
    void samplesSurviveTheirCsvForm() {
        ScheduleSample sample = new ScheduleSample(SchedulePeer.LAZY_SHORT_IDLE, 1234, 2, 17, 12);
        assertThat(ScheduleSample.parseCsv(sample.toCsv())).isEqualTo(sample);
    }

    private static ScheduleSample sample(long millis, int threads, long started, int runs) {
        return new ScheduleSample(SchedulePeer.LAZY, millis, threads, started, runs);
    }
}
