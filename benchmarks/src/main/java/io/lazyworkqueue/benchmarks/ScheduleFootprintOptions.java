package io.lazyworkqueue.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The schedule footprint harness's command line.
 * @param length how long each peer's job runs
 * @param workMicros the CPU work of each run, in microseconds on the reference machine of {@link CpuWork}
 * @param peers the schedulers to measure
 * @param csv where the samples go
 */
record ScheduleFootprintOptions(Duration length, int workMicros, List<SchedulePeer> peers, Path csv) {

    static final String USAGE = """
            usage: ScheduleFootprintHarness [--seconds 60] [--work-micros 100]
                                            [--peers LAZY,LAZY_SHORT_IDLE,SPRING_TPTS,JDK_STPE]
                                            [--out target/schedule-footprint.csv]""";

    /**
     * @param args the arguments; every option has a default
     * @return the options
     * @throws IllegalArgumentException with the usage if an argument is unknown or malformed
     */
    static ScheduleFootprintOptions parse(String... args) {
        CommandLine line = CommandLine.parse(USAGE, Set.of("--seconds", "--work-micros", "--peers", "--out"), args);
        return new ScheduleFootprintOptions(
                line.get("--seconds", Duration.ofSeconds(60), value -> Duration.ofSeconds(Long.parseLong(value))),
                line.get("--work-micros", 100, Integer::valueOf),
                line.get("--peers", List.of(SchedulePeer.values()),
                        value -> Arrays.stream(value.split(",")).map(SchedulePeer::valueOf).toList()),
                line.get("--out", Path.of("target", "schedule-footprint.csv"), Path::of));
    }

    /** @return the arguments that give these options back, for a child JVM */
    List<String> toArgs() {
        return List.of("--seconds", String.valueOf(length.toSeconds()), "--work-micros", String.valueOf(workMicros),
                "--peers", String.join(",", peers.stream().map(SchedulePeer::name).toList()), "--out", csv.toString());
    }
}
