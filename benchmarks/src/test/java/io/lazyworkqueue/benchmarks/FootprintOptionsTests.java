package io.lazyworkqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FootprintOptionsTests {

    @Test
    void measuresBothEnginesAndTheSpringPeersByDefault() {
        assertThat(FootprintOptions.parse().peers()).containsExactly(Peer.LAZY, Peer.LAZY_V1, Peer.EAGER_PER_CPU,
                Peer.SPRING_BOOT_DEFAULTS, Peer.SPRING_SAME_IDLE_TIMEOUT);
    }

    @Test
    void leavesOutThePeersThatCannotRunWithOneLineEachSayingWhy() {
        List<String> lines = new ArrayList<>();
        FootprintOptions options = FootprintOptions.parse("--peers", "LAZY,LAZY_V1,EAGER_PER_CPU")
                .withoutUnavailablePeers(peer -> peer == Peer.LAZY_V1 ? Optional.of("no jar") : Optional.empty(),
                        lines::add);
        assertThat(options.peers()).containsExactly(Peer.LAZY, Peer.EAGER_PER_CPU);
        assertThat(lines).containsExactly("LAZY_V1 left out: no jar");
        assertThat(options.toArgs()).containsSequence("--peers", "LAZY,EAGER_PER_CPU");
    }
}
