package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LazyWorkqueueBuilderTests {

    private final CpuSet allowed = CpuSet.allowed();

    @Test
    void defaultsToEveryAllowedCpuStrictAffinityLocalSelectionAndSixteenTasksPerCpuOnSharedPools() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("rpciod").build()) {
            WorkqueueConfig config = workqueue.config();

            assertThat(config.name()).isEqualTo("rpciod");
            assertThat(config.cpus()).isEqualTo(allowed);
            assertThat(config.coreCpu()).isEqualTo(allowed.first());
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.maxActive()).isEqualTo(16);
            assertThat(config.affinity()).isEqualTo(AffinityMode.STRICT);
            assertThat(config.cpuSelection()).isEqualTo(CpuSelection.LOCAL);
            assertThat(config.unbounded()).isTrue();
            assertThat(config.rejection()).isEqualTo(RejectionPolicy.ABORT);
            assertThat(config.threadNamePrefix()).isEqualTo("rpciod/");
            assertThat(config.spawnRetryDelay()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.watchdogThreshold()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.concurrencyThreshold()).isEqualTo(Duration.ofMillis(10));
            assertThat(config.dedicated()).isFalse();
        }
    }

    @Test
    void takesEverySetting() {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("io").cpus("0-63").coreCpu(5)
            .idleTimeout(Duration.ofMillis(250)).maxActive(4).affinity(AffinityMode.NONE)
            .cpuSelection(CpuSelection.ROUND_ROBIN).queueCapacity(100).rejection(RejectionPolicy.BLOCK)
            .threadNamePrefix("blk-").spawnRetryDelay(Duration.ofMillis(5)).eventHistory(10)
            .watchdogThreshold(Duration.ZERO).concurrencyThreshold(Duration.ofMillis(3)).dedicated(true).build()) {

            assertThat(workqueue.config()).isEqualTo(new WorkqueueConfig("io", CpuSet.firstN(64), 5,
                    Duration.ofMillis(250), 4, AffinityMode.NONE, CpuSelection.ROUND_ROBIN, 100, RejectionPolicy.BLOCK,
                    "blk-", Duration.ofMillis(5), 10, Duration.ZERO, Duration.ofMillis(3), true));
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
            .isThrownBy(() -> LazyWorkqueue.builder("q").concurrencyThreshold(Duration.ZERO))
            .withMessage("concurrencyThreshold must be positive, was PT0S");
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
            .withMessage("eventHistory must be from 0 to 65536, was -1");
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
            .withMessage("name must not be blank and must hold no control characters such as line breaks or tabs,"
                    + " was ' '");
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder("q").threadNamePrefix(""))
            .withMessage("threadNamePrefix must not be blank and must hold no control characters such as line breaks"
                    + " or tabs, was ''");
    }

    static Stream<Arguments> overlongDurations() {
        return Stream.of("idleTimeout", "spawnRetryDelay", "watchdogThreshold")
            .flatMap(setting -> Stream.of(arguments(setting, Duration.ofSeconds(Long.MAX_VALUE)),
                    arguments(setting, Duration.ofDays(300 * 365))));
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("overlongDurations")
    void durationsTooLongForNanosecondsAreCappedAtAbout73YearsInsteadOfFailingTheBuild(String setting,
            Duration duration) throws Exception {
        LazyWorkqueue.Builder builder = LazyWorkqueue.builder("long").cpus(allowed.first() + "");
        switch (setting) {
            case "idleTimeout" -> builder.idleTimeout(duration);
            case "spawnRetryDelay" -> builder.spawnRetryDelay(duration);
            default -> builder.watchdogThreshold(duration);
        }

        try (LazyWorkqueue workqueue = builder.build()) {
            WorkqueueConfig config = workqueue.config();
            Duration kept = switch (setting) {
                case "idleTimeout" -> config.idleTimeout();
                case "spawnRetryDelay" -> config.spawnRetryDelay();
                default -> config.watchdogThreshold();
            };
            assertThat(kept).isEqualTo(Duration.ofNanos(Long.MAX_VALUE / 4));
            CompletableFuture.runAsync(() -> { }, workqueue).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIdleTimeoutOfCenturiesKeepsAnIdleWorkerForDecades() throws Exception {
        ManualClock clock = new ManualClock();
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("forever").cpus("0").affinity(AffinityMode.NONE)
            .clock(clock).idleTimeout(Duration.ofDays(300 * 365)).build()) {
            String first = IdleExitTests.runOn(workqueue, 0);
            IdleExitTests.awaitIdle(workqueue, 0);

            clock.advance(Duration.ofDays(50 * 365));

            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo(first);
            assertThat(workqueue.snapshot().cpu(0).counters().idleExits()).isZero();
        }
    }

    @Test
    void rejectsAnEventHistoryAboveTheMaximumInsteadOfRunningOutOfMemory() {
        assertThatExceptionOfType(InvalidWorkqueueSettingException.class)
            .isThrownBy(() -> LazyWorkqueue.builder("q").eventHistory(Integer.MAX_VALUE))
            .withMessage("eventHistory must be from 0 to 65536, was 2147483647")
            .satisfies(ex -> {
                assertThat(ex.getSetting()).isEqualTo("eventHistory");
                assertThat(ex.getValue()).isEqualTo("2147483647");
            });
        assertThatIllegalArgumentException().isThrownBy(() -> LazyWorkqueue.builder("q").eventHistory(65_537))
            .withMessage("eventHistory must be from 0 to 65536, was 65537");
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("q").eventHistory(65_536).build()) {
            assertThat(workqueue.config().eventHistory()).isEqualTo(65_536);
        }
    }

    static Stream<Arguments> cpulistsWithABadCpuId() {
        return Stream.of(
                arguments("\u0661", "'\u0661' is not a CPU id: CPU ids are written with the ASCII digits 0 to 9"),
                arguments("\uff10-\uff13",
                        "'\uff10' is not a CPU id: CPU ids are written with the ASCII digits 0 to 9"),
                arguments("0-99999999", "CPU 99999999 is above the largest CPU id 8191"),
                arguments("-1", "CPU -1 is not allowed: CPU ids cannot be negative"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cpulistsWithABadCpuId")
    void rejectsACpuIdThatIsNotAnAsciiNumberFrom0To8191NamingTheSettingTheTextAndTheRule(String cpulist,
            String fault) {
        assertThatExceptionOfType(InvalidWorkqueueSettingException.class)
            .isThrownBy(() -> LazyWorkqueue.builder("q").cpus(cpulist))
            .withMessage("cpus: Malformed cpulist '" + cpulist + "': " + fault
                    + "; expected comma-separated CPU ids and ranges such as '0-3,8'")
            .satisfies(ex -> {
                assertThat(ex.getSetting()).isEqualTo("cpus");
                assertThat(ex.getValue()).isEqualTo(cpulist);
            });
    }

    @Test
    void namesTheCpusAsWrittenWhenSomeAreNotAllowed() {
        assertThatExceptionOfType(InvalidWorkqueueSettingException.class)
            .isThrownBy(() -> LazyWorkqueue.builder("q").cpus("8191, " + allowed.first()).build())
            .withMessageStartingWith("cpus '8191, " + allowed.first() + "' includes CPUs 8191 that this process may"
                    + " not use")
            .satisfies(ex -> {
                assertThat(ex.getSetting()).isEqualTo("cpus");
                assertThat(ex.getValue()).isEqualTo("8191, " + allowed.first());
            });
    }

    static Stream<Arguments> namesWithControlCharacters() {
        return Stream.of(arguments("rpc\niod", "rpc\\niod"), arguments("rpc\tiod", "rpc\\tiod"),
                arguments("rpciod\r", "rpciod\\r"), arguments("rpc\u0000iod", "rpc\\u0000iod"),
                arguments("rpc\u007fiod", "rpc\\u007fiod"), arguments("rpc\u0085iod", "rpc\\u0085iod"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("namesWithControlCharacters")
    void rejectsANameWithControlCharactersShowingThemEscaped(String name, String escaped) {
        assertThatExceptionOfType(InvalidWorkqueueSettingException.class)
            .isThrownBy(() -> LazyWorkqueue.builder(name))
            .withMessage("name must not be blank and must hold no control characters such as line breaks or tabs,"
                    + " was '" + escaped + "'")
            .satisfies(ex -> {
                assertThat(ex.getSetting()).isEqualTo("name");
                assertThat(ex.getValue()).isEqualTo(escaped);
            });
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("namesWithControlCharacters")
    void rejectsAThreadNamePrefixWithControlCharactersShowingThemEscaped(String prefix, String escaped) {
        assertThatExceptionOfType(InvalidWorkqueueSettingException.class)
            .isThrownBy(() -> LazyWorkqueue.builder("q").threadNamePrefix(prefix))
            .withMessage("threadNamePrefix must not be blank and must hold no control characters such as line breaks"
                    + " or tabs, was '" + escaped + "'")
            .satisfies(ex -> {
                assertThat(ex.getSetting()).isEqualTo("threadNamePrefix");
                assertThat(ex.getValue()).isEqualTo(escaped);
            });
    }

    @Test
    void rejectsMoreThanOneWorkerForAnOrderedWorkqueue() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LazyWorkqueue.builder("q").cpuSelection(CpuSelection.ORDERED).maxActive(2).build())
            .withMessage("maxActive 2 is not allowed with cpuSelection ORDERED, which runs one task at a time;"
                    + " use maxActive 1");
    }
}
