package io.lazyworkqueue.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The footprint harness's command line.
 * @param cpuCounts the CPU counts to simulate
 * @param queues how many queues (executors) each peer gets
 * @param idleTimeout the lazy workqueue's idle timeout
 * @param peers the peers to measure
 * @param csv where the samples go
 */
record FootprintOptions(List<Integer> cpuCounts, int queues, Duration idleTimeout, List<Peer> peers, Path csv) {

    static final String USAGE = """
            usage: FootprintHarness [--cpus 2,16,64] [--queues 8] [--idle-timeout-ms 1000]
                                    [--peers LAZY,LAZY_V1,EAGER_PER_CPU,SPRING_BOOT_DEFAULTS,SPRING_SAME_IDLE_TIMEOUT]
                                    [--out footprint.csv]""";

    /**
     * @param args the arguments; every option has a default
     * @return the options
     * @throws IllegalArgumentException with the usage if an argument is unknown or malformed
     */
    static FootprintOptions parse(String... args) {
        CommandLine line = CommandLine.parse(USAGE,
                Set.of("--cpus", "--queues", "--idle-timeout-ms", "--peers", "--out"), args);
        List<Peer> allPeers = List.of(Peer.LAZY, Peer.LAZY_V1, Peer.EAGER_PER_CPU, Peer.SPRING_BOOT_DEFAULTS,
                Peer.SPRING_SAME_IDLE_TIMEOUT);
        return new FootprintOptions(
                line.get("--cpus", List.of(2, 16, 64),
                        value -> Arrays.stream(value.split(",")).map(Integer::valueOf).toList()),
                line.get("--queues", 8, Integer::valueOf),
                line.get("--idle-timeout-ms", Duration.ofSeconds(1), value -> Duration.ofMillis(Long.parseLong(value))),
                line.get("--peers", allPeers, value -> Arrays.stream(value.split(",")).map(Peer::valueOf).toList()),
                line.get("--out", Path.of("footprint.csv"), Path::of));
    }

    /**
     * @param unavailable why a peer cannot run in this JVM, or empty if it can
     * @param leftOut told, one line for each peer left out, which and why
     * @return these options without the peers that cannot run
     */
    FootprintOptions withoutUnavailablePeers(Function<Peer, Optional<String>> unavailable, Consumer<String> leftOut) {
        List<Peer> available = new ArrayList<>();
        for (Peer peer : peers) {
            unavailable.apply(peer).ifPresentOrElse(why -> leftOut.accept(peer + " left out: " + why),
                    () -> available.add(peer));
        }
        return new FootprintOptions(cpuCounts, queues, idleTimeout, List.copyOf(available), csv);
    }

    /** @return the arguments that give these options back, for a child JVM */
    List<String> toArgs() {
        return List.of("--cpus", String.join(",", cpuCounts.stream().map(String::valueOf).toList()),
                "--queues", String.valueOf(queues), "--idle-timeout-ms", String.valueOf(idleTimeout.toMillis()),
                "--peers", String.join(",", peers.stream().map(Peer::name).toList()), "--out", csv.toString());
    }
}
