package io.lazyworkqueue.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Thread footprint of a schedule: for each scheduler it starts a fresh JVM, runs one job at a fixed
 * rate of one run a second there (see {@link ScheduleFootprintRun}), prints a table of the threads
 * the scheduler added between and during runs, and writes every sample to a CSV file.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.lazyworkqueue.benchmarks.ScheduleFootprintHarness --seconds 60
 * </pre>
 */
public final class ScheduleFootprintHarness {

    private static final String CHILD = "--child";

    private ScheduleFootprintHarness() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length >= 2 && args[0].equals(CHILD)) {
            ScheduleFootprintOptions options = ScheduleFootprintOptions.parse(
                    List.of(args).subList(2, args.length).toArray(String[]::new));
            for (ScheduleSample sample : new ScheduleFootprintRun(SchedulePeer.valueOf(args[1]), options.length(),
                    options.workMicros()).run()) {
                System.out.println(sample.toCsv());
            }
            return;
        }
        ScheduleFootprintOptions options;
        try {
            options = ScheduleFootprintOptions.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("Schedule footprint: one job every %d ms at a fixed rate, %d us of CPU a run, %d s per peer,"
                + " threads added sampled every %d ms%n", ScheduleFootprintRun.PERIOD.toMillis(), options.workMicros(),
                options.length().toSeconds(), ScheduleFootprintRun.SAMPLE_MILLIS);
        System.out.println(ScheduleFootprintSummary.TABLE_HEADER);
        List<ScheduleSample> samples = new ArrayList<>();
        List<ScheduleFootprintSummary> summaries = new ArrayList<>();
        for (SchedulePeer peer : options.peers()) {
            List<String> childArgs = new ArrayList<>(List.of(CHILD, peer.name()));
            childArgs.addAll(options.toArgs());
            List<ScheduleSample> run = ChildJvm.run(ScheduleFootprintHarness.class, List.of(), childArgs,
                    line -> line.startsWith(peer.name() + ",")).stream().map(ScheduleSample::parseCsv).toList();
            samples.addAll(run);
            ScheduleFootprintSummary summary = ScheduleFootprintSummary.of(run);
            summaries.add(summary);
            System.out.println(summary.tableRow());
        }
        printRatios(summaries, SchedulePeer.SPRING_TPTS);
        CsvFile.write(options.csv(), ScheduleSample.CSV_HEADER, samples.stream().map(ScheduleSample::toCsv).toList());
        System.out.println("Samples written to " + options.csv());
    }

    private static void printRatios(List<ScheduleFootprintSummary> summaries, SchedulePeer against) {
        summaries.stream().filter(summary -> summary.peer() == against).findFirst().ifPresent(reference -> {
            for (ScheduleFootprintSummary summary : summaries) {
                if (summary != reference) {
                    System.out.printf(Locale.ROOT, "mean threads, %s / %s: %.2f%n", summary.peer(), against,
                            summary.meanThreads() / reference.meanThreads());
                }
            }
        });
    }
}
