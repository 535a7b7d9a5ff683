package io.lazyworkqueue.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Thread and memory footprint of an application with several queues: for each CPU count and each
 * peer it starts a fresh JVM (so that one peer's heap and dead threads do not count against the
 * next), runs {@link FootprintRun} there, prints a table and writes every sample to a CSV file.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.lazyworkqueue.benchmarks.FootprintHarness --out footprint.csv
 * </pre>
 */
public final class FootprintHarness {

    private static final String CHILD = "--child";

    private static final String PEAK = "peak_threads=";

    /**
     * Every child gets the same small, fully touched heap, so that resident memory differs by what
     * the threads add and not by how far each heap happened to grow.
     */
    private static final List<String> CHILD_JVM_OPTIONS = List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch");

    private FootprintHarness() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length >= 3 && args[0].equals(CHILD)) {
            runChild(Peer.valueOf(args[1]), Integer.parseInt(args[2]),
                    FootprintOptions.parse(List.of(args).subList(3, args.length).toArray(String[]::new)));
            return;
        }
        FootprintOptions options;
        try {
            options = FootprintOptions.parse(args).withoutUnavailablePeers(Peer::unavailable, System.out::println);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("Footprint: %d queues per peer, idle timeout %d ms, CPU counts %s%n", options.queues(),
                options.idleTimeout().toMillis(), options.cpuCounts());
        System.out.println(FootprintSummary.TABLE_HEADER);
        List<FootprintSample> samples = new ArrayList<>();
        for (int cpus : options.cpuCounts()) {
            for (Peer peer : options.peers()) {
                FootprintRun.Result result = runInChildJvm(peer, cpus, options);
                samples.addAll(result.samples());
                System.out.println(FootprintSummary.of(result.samples(), result.peakThreads()).tableRow());
            }
        }
        CsvFile.write(options.csv(), FootprintSample.CSV_HEADER, samples.stream().map(FootprintSample::toCsv).toList());
        System.out.println("Samples written to " + options.csv());
    }

    private static void runChild(Peer peer, int cpus, FootprintOptions options) throws InterruptedException {
        FootprintRun.Result result = new FootprintRun(peer, cpus, options.queues(), options.idleTimeout()).run();
        for (FootprintSample sample : result.samples()) {
            System.out.println(sample.toCsv());
        }
        System.out.println(PEAK + result.peakThreads());
    }

    private static FootprintRun.Result runInChildJvm(Peer peer, int cpus, FootprintOptions options)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(CHILD, peer.name(), String.valueOf(cpus)));
        args.addAll(options.toArgs());
        List<FootprintSample> samples = new ArrayList<>();
        int peakThreads = -1;
        for (String line : ChildJvm.run(FootprintHarness.class, CHILD_JVM_OPTIONS, args,
                line -> line.startsWith(PEAK) || (!line.isEmpty() && Character.isDigit(line.charAt(0))))) {
            if (line.startsWith(PEAK)) {
                peakThreads = Integer.parseInt(line.substring(PEAK.length()));
            }
            else {
                samples.add(FootprintSample.parseCsv(line));
            }
        }
        if (peakThreads < 0) {
            throw new IllegalStateException("footprint run of " + peer + " on " + cpus + " CPUs reported no peak");
        }
        return new FootprintRun.Result(samples, peakThreads);
    }
}
