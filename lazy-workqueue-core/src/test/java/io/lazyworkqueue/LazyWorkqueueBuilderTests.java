package io.lazyworkqueue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LazyWorkqueueBuilderTests {

    private final CpuSet allowed = CpuSet.allowed();

    @Test
    void defaultsToEveryAllowedCpuStrictAffinityLocalSelectionAndOneWorkerPerCpu() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("rpciod").build()) {
            WorkqueueConfig config = workqueue.config();

            assertThat(config.name()).isEqualTo("rpciod");
            assertThat(config.cpus()).isEqualTo(allowed);
            assertThat(config.coreCpu()).isEqualTo(allowed.first());
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.maxActive()).isEqualTo(1);
            assertThat(config.affinity()).isEqualTo(AffinityMode.STRICT);
            assertThat(config.cpuSelection()).isEqualTo(CpuSelection.LOCAL);
            assertThat(config.unbounded()).isTrue();
            assertThat(config.rejection()).isEqualTo(RejectionPolicy.ABORT);
            assertThat(config.threadNamePrefix()).isEqualTo("rpciod/");
            assertThat(config.spawnRetryDelay()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.watchdogThreshold()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void takesEverySetting() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("io").cpus("0-63").coreCpu(5)
            .idleTimeout(Duration.ofMillis(250)).maxActive(4).affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ROUND_ROBIN).queueCapacity(100).rejection(RejectionPolicy.BLOCK)
            .threadNamePrefix("blk-").spawnRetryDelay(Duration.ofMillis(5)).eventHistory(10)
            .watchdogThreshold(Duration.ZERO).build()) {

            assertThat(workqueue.config()).isEqualTo(new WorkqueueConfig("io", CpuSet.firstN(64), 5,
                    Duration.ofMillis(250), 4, AffinityMode.NONE, CpuSelection.ROUND_ROBIN, 100, RejectionPolicy.BLOCK,
                    "blk-", Duration.ofMillis(5), 10, Duration.ZERO));
        }
    }

    @Test
    void rejectsAMalformedCpulistNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder("q").cpus("0-"))
            .withMessageStartingWith("cpus: Malformed cpulist '0-': '' is not a CPU id");
    }

    @Test
    void rejectsStrictCpusOutsideTheAllowedSetNamingThemAndTheAllowedOnes() {
        int outside = allowed.last() + 1;

        assertThatIllegalArgumentException()
            .isThrownBy(() -> LazyWorkqueue.builder("q").cpus(allowed.first() + "," + outside + "-" + (outside + 1)).build())
            .withMessage("cpus '" + allowed.first() + "," + outside + "-" + (outside + 1) + "' includes CPUs " + outside
                    + "-" + (outside + 1) + " that this process may not use; it may use " + allowed + ". Name CPUs from "
                    + allowed + ", or set affinity NONE to run unpinned queues for CPU ids the machine lacks");
    }

    @Test
    void acceptsCpusTheMachineLacksWhenThreadsAreNotPinned() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("q").cpus("0-127").affinity(AffinityMode.NONE).build()) {
            assertThat(workqueue.snapshot().cpus()).hasSize(128);
        }
    }

    @Test
    void rejectsACoreCpuOutsideTheCpus() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LazyWorkqueue.builder("q").cpus("0-3").affinity(AffinityMode.NONE).coreCpu(7).build())
            .withMessage("coreCpu 7 is not one of cpus '0-3'; name one of them");
    }

    @Test
    void rejectsDurationsThatAreNotPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder("q").idleTimeout(Duration.ZERO))
            .withMessage("idleTimeout must be positive, was PT0S");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LazyWorkqueue.builder("q").idleTimeout(Duration.ofSeconds(-1)))
            .withMessage("idleTimeout must be positive, was PT-1S");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LazyWorkqueue.builder("q").spawnRetryDelay(Duration.ofMillis(-5)))
            .withMessage("spawnRetryDelay must be positive, was PT-0.005S");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LazyWorkqueue.builder("q").watchdogThreshold(Duration.ofSeconds(-1)))
            .withMessage("watchdogThreshold must be zero (off) or positive, was PT-1S");
    }

    @Test
    void rejectsCountsBelowTheirMinimum() {
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder("q").maxActive(0))
            .withMessage("maxActive must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder("q").queueCapacity(0))
            .withMessage("queueCapacity must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder("q").eventHistory(-1))
            .withMessage("eventHistory must be zero or more, was -1");
    }

    @Test
    void namesTheInvalidSettingAndItsValue() {
        assertThatExceptionOfType(InvalidWorkqueueSettingException.class)
            .isThrownBy(() -> LazyWorkqueue.builder("q").cpus("0-3").affinity(AffinityMode.NONE).coreCpu(7).build())
            .satisfies(ex -> {
                assertThat(ex.getSetting()).isEqualTo("coreCpu");
                assertThat(ex.getValue()).isEqualTo("7");
            });
        assertThatExceptionOfType(InvalidWorkqueueSettingException.class)
            .isThrownBy(() -> LazyWorkqueue.builder("q").cpus("x"))
            .satisfies(ex -> {
                assertThat(ex.getSetting()).isEqualTo("cpus");
                assertThat(ex.getValue()).isEqualTo("x");
                assertThat(ex).hasCauseInstanceOf(IllegalArgumentException.class);
            });
        assertThatExceptionOfType(InvalidWorkqueueSettingException.class)
            .isThrownBy(() -> LazyWorkqueue.builder("q").idleTimeout(Duration.ofSeconds(-2)))
            .satisfies(ex -> {
                assertThat(ex.getSetting()).isEqualTo("idleTimeout");
                assertThat(ex.getValue()).isEqualTo("PT-2S");
            });
    }

    @Test
    void rejectsBlankNames() {
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder(" "))
            .withMessage("name must not be blank, was ' '");
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder("q").threadNamePrefix(""))
            .withMessage("threadNamePrefix must not be blank, was ''");
    }

    @Test
    void rejectsMoreThanOneWorkerForAnOrderedWorkqueue() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LazyWorkqueue.builder("q").cpuSelection(CpuSelection.ORDERED).maxActive(2).build())
            .withMessage("maxActive 2 is not allowed with cpuSelection ORDERED, which runs one task at a time;"
                    + " use maxActive 1");
    }
}
