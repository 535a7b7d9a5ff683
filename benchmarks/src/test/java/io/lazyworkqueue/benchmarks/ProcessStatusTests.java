package io.lazyworkqueue.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ProcessStatusTests {

    @Test
    void readsVmRssInKilobytes() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 4000000 kB", "VmRSS:\t   123456 kB", "Threads:\t42");
        assertThat(ProcessStatus.residentKilobytes(status)).isEqualTo(123456);
    }

    @Test
    void reportsMinusOneWithoutVmRss() {
        // Kernel threads and zombies have no VmRSS line.
        assertThat(ProcessStatus.residentKilobytes(List.of("Name:\tkthreadd", "State:\tS (sleeping)"))).isEqualTo(-1);
    }

    @Test
    void refusesAnUnexpectedUnit() {
        assertThatIllegalStateException().isThrownBy(() -> ProcessStatus.residentKilobytes(List.of("VmRSS:\t12 MB")));
    }

    @Test
    void readsThisProcessWhereProcExists() {
        long rss = ProcessStatus.residentKilobytes();
        assertThat(rss == -1 || rss > 1024).as("RSS %d kB", rss).isTrue();
    }
}
