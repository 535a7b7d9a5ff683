package io.lazyworkqueue.benchmarks;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScheduleFootprintOptionsTests {

    @Test
    void measuresEverySchedulerForAMinuteIntoTargetByDefault() {
        ScheduleFootprintOptions options = ScheduleFootprintOptions.parse();
        assertThat(options.length()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.workMicros()).isEqualTo(100);
        assertThat(options.peers()).containsExactly(SchedulePeer.LAZY, SchedulePeer.LAZY_SHORT_IDLE,
                SchedulePeer.SPRING_TPTS, SchedulePeer.JDK_STPE);
        assertThat(options.csv()).isEqualTo(Path.of("target", "schedule-footprint.csv"));
    }

    @Test
    void givesTheChildJvmTheOptionsItWasGiven() {
        ScheduleFootprintOptions options = ScheduleFootprintOptions.parse("--seconds", "5", "--peers",
                "LAZY,JDK_STPE", "--work-micros", "50", "--out", "s.csv");
        assertThat(ScheduleFootprintOptions.parse(options.toArgs().toArray(String[]::new))).isEqualTo(options);
        assertThat(options.peers()).containsExactly(SchedulePeer.LAZY, SchedulePeer.JDK_STPE);
    }

    @Test
    void rejectsAnUnknownOptionOrAMalformedValueWithTheUsage() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScheduleFootprintOptions.parse("--minutes", "1"))
                .withMessageStartingWith("unknown option --minutes").withMessageContaining("usage:");
        assertThatIllegalArgumentException().isThrownBy(() -> ScheduleFootprintOptions.parse("--seconds", "x"))
                .withMessageStartingWith("--seconds x:").withMessageContaining("usage:");
        assertThatIllegalArgumentException().isThrownBy(() -> ScheduleFootprintOptions.parse("--seconds"))
                .withMessageStartingWith("option --seconds needs a value");
    }
}
