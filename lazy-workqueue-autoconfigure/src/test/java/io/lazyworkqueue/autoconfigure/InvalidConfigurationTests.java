package io.lazyworkqueue.autoconfigure;

import java.util.function.Consumer;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.spring.CapturedLog;
import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each invalid setting fails start-up with a report that names the property, shows the value as
 * written and why it cannot be used in property words, and says what to write instead.
 */
class InvalidConfigurationTests {

    private static final CpuSet ALLOWED = CpuSet.allowed();

    @RegisterExtension
    final CapturedLog refreshLog = CapturedLog.of(AnnotationConfigApplicationContext.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class,
                    LazyWorkqueueAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

    @Test
    void cpusOutsideTheAllowedSetWithStrictAffinity() {
        int outside = ALLOWED.last() + 1;
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.cpus=" + ALLOWED.first() + "," + outside)
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.rpciod.cpus",
                    ALLOWED.first() + "," + outside,
                    "cpus " + outside + " of queue 'rpciod' are not CPUs this process may use (" + ALLOWED
                            + "), and affinity strict, the default, pins threads to them",
                    "Use CPUs from " + ALLOWED + " in lazy-workqueue.queues.rpciod.cpus, or set"
                            + " lazy-workqueue.queues.rpciod.affinity to none to run unpinned queues for CPU ids the"
                            + " machine lacks.")));
    }

    @Test
    void aCoreCpuOutsideTheQueuesCpus() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.cpus=0-3", "lazy-workqueue.queues.rpciod.affinity=none",
                "lazy-workqueue.queues.rpciod.core-cpu=7")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.rpciod.core-cpu", "7",
                    "core-cpu 7 is not one of the CPUs of queue 'rpciod' (0-3, from"
                            + " lazy-workqueue.queues.rpciod.cpus)",
                    "Set lazy-workqueue.queues.rpciod.core-cpu to one of the queue's CPUs, or remove it to use the"
                            + " first of them.")));
    }

    @Test
    void aDefaultCoreCpuOutsideAQueuesOwnCpusIsReportedForThatQueue() {
        runner.withPropertyValues("lazy-workqueue.defaults.core-cpu=5", "lazy-workqueue.defaults.affinity=none",
                "lazy-workqueue.queues.wide.cpus=0-7", "lazy-workqueue.queues.narrow.cpus=0-3")
            .run(report(analysis -> {
                assertProblem(analysis, "lazy-workqueue.defaults.core-cpu", "5",
                        "core-cpu 5 is not one of the CPUs of queue 'narrow' (0-3, from"
                                + " lazy-workqueue.queues.narrow.cpus)",
                        "Set lazy-workqueue.defaults.core-cpu to one of the queue's CPUs, or remove it to use the"
                                + " first of them.");
                assertThat(analysis.getDescription()).doesNotContain("'wide'");
            }));
    }

    @Test
    void aZeroIdleTimeoutIsShownAsWritten() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.idle-timeout=0s")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.rpciod.idle-timeout", "0s",
                    "idle-timeout must be a positive duration",
                    "Set lazy-workqueue.queues.rpciod.idle-timeout to a positive duration, such as 10s.")));
    }

    @Test
    void aNegativeAwaitTerminationPeriod() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.shutdown.await-termination-period=-5s")
            .run(report(analysis -> assertProblem(analysis,
                    "lazy-workqueue.queues.rpciod.shutdown.await-termination-period", "-5s",
                    "shutdown.await-termination-period must not be negative",
                    "Set lazy-workqueue.queues.rpciod.shutdown.await-termination-period to zero or a positive"
                            + " duration, such as 30s.")));
    }

    @Test
    void aNegativeWatchdogThreshold() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.watchdog-threshold=-1s")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.rpciod.watchdog-threshold", "-1s",
                    "watchdog-threshold must not be negative",
                    "Set lazy-workqueue.queues.rpciod.watchdog-threshold to a positive duration such as 30s, or to 0"
                            + " to turn the watchdog off.")));
    }

    @Test
    void aZeroConcurrencyThreshold() {
        runner.withPropertyValues("lazy-workqueue.defaults.concurrency-threshold=0ms",
                "lazy-workqueue.queues.rpciod.max-active=1")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.defaults.concurrency-threshold", "0ms",
                    "concurrency-threshold must be a positive duration",
                    "Set lazy-workqueue.defaults.concurrency-threshold to a positive duration, such as 10ms.")));
    }

    @Test
    void aDedicatedSettingThatIsNoBooleanIsABindFailure() {
        assertBindFailure("lazy-workqueue.queues.rpciod.dedicated", "alone");
    }

    @Test
    void aThreadNamePrefixWithALineBreakIsShownEscaped() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.thread-name-prefix=rpc\nio-")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.rpciod.thread-name-prefix",
                    "rpc\\nio-",
                    "thread-name-prefix must not be blank and must hold no control characters such as line breaks"
                            + " or tabs",
                    "Set lazy-workqueue.queues.rpciod.thread-name-prefix to a prefix that is not blank and holds no"
                            + " control characters, or remove it to use 'rpciod/'.")));
    }

    @Test
    void maxActiveBelowOne() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=0")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.rpciod.max-active", "0",
                    "max-active must be at least 1", "Set lazy-workqueue.queues.rpciod.max-active to 1 or more.")));
    }

    @Test
    void maxActiveAboveOneOnAnOrderedQueue() {
        runner.withPropertyValues("lazy-workqueue.queues.log.cpu-selection=ordered",
                "lazy-workqueue.queues.log.max-active=2")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.log.max-active", "2",
                    "max-active 2 is not allowed with cpu-selection ordered (lazy-workqueue.queues.log.cpu-selection),"
                            + " which runs one task at a time",
                    "Set lazy-workqueue.queues.log.max-active to 1, or set lazy-workqueue.queues.log.cpu-selection to"
                            + " local or round-robin.")));
    }

    @Test
    void aDefaultMaxActiveAgainstAQueuesOrderedSelectionNamesBothKeys() {
        runner.withPropertyValues("lazy-workqueue.defaults.max-active=4",
                "lazy-workqueue.queues.log.cpu-selection=ordered")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.defaults.max-active", "4",
                    "max-active 4 is not allowed with cpu-selection ordered (lazy-workqueue.queues.log.cpu-selection),"
                            + " which runs one task at a time",
                    "Set lazy-workqueue.defaults.max-active to 1, or set lazy-workqueue.queues.log.cpu-selection to"
                            + " local or round-robin.")));
    }

    @Test
    void anInvalidDefaultIsReportedOnceUnderItsOwnKey() {
        runner.withPropertyValues("lazy-workqueue.defaults.max-active=0", "lazy-workqueue.queues.a.idle-timeout=1s",
                "lazy-workqueue.queues.b.idle-timeout=1s")
            .run(report(analysis -> {
                assertProblem(analysis, "lazy-workqueue.defaults.max-active", "0", "max-active must be at least 1",
                        "Set lazy-workqueue.defaults.max-active to 1 or more.");
                assertThat(analysis.getDescription()).containsOnlyOnce("Property:");
            }));
    }

    @Test
    void queueCapacityBelowOne() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.queue-capacity=0")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.rpciod.queue-capacity", "0",
                    "queue-capacity must be at least 1",
                    "Set lazy-workqueue.queues.rpciod.queue-capacity to a positive number, or remove it for an"
                            + " unbounded queue.")));
    }

    @Test
    void aDefaultQueueThatNamesNoQueue() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1", "lazy-workqueue.queues.io.max-active=2",
                "lazy-workqueue.default-queue=rpcoid")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.default-queue", "rpcoid",
                    "there is no queue named 'rpcoid'",
                    "Set lazy-workqueue.default-queue to one of the queues [rpciod, io], or remove it to let plain"
                            + " @Async methods run on Spring Boot's applicationTaskExecutor.")));
    }

    @Test
    void everyInvalidSettingOfEveryQueueIsReportedAtOnceEachWithItsOrigin() {
        runner.withPropertyValues("lazy-workqueue.queues.a.max-active=0", "lazy-workqueue.queues.a.idle-timeout=0s",
                "lazy-workqueue.queues.b.queue-capacity=-1", "lazy-workqueue.default-queue=c")
            .run(report(analysis -> {
                assertThat(analysis.getDescription()).containsSubsequence("lazy-workqueue.queues.a.idle-timeout",
                        "lazy-workqueue.queues.a.max-active", "lazy-workqueue.queues.b.queue-capacity",
                        "lazy-workqueue.default-queue");
                assertThat(analysis.getDescription().lines().filter(line -> line.startsWith("    Origin: ")))
                    .hasSize(4)
                    .allMatch(line -> line.contains("from property source \"test\""));
                assertThat(analysis.getAction().lines().filter(line -> line.startsWith("    - "))).hasSize(4);
            }));
    }

    @Test
    void aQueueNameWithCapitalsAndUnderscoresKeepsTheOriginOfItsSettings() {
        runner.withPropertyValues("lazy-workqueue.queues.blocking_IO.max-active=0")
            .run(report(analysis -> {
                assertProblem(analysis, "lazy-workqueue.queues.blocking_IO.max-active", "0",
                        "max-active must be at least 1",
                        "Set lazy-workqueue.queues.blocking_IO.max-active to 1 or more.");
                assertThat(analysis.getDescription()).contains(
                        "    Origin: \"lazy-workqueue.queues.blocking_IO.max-active\" from property source \"test\"");
            }));
    }

    @Test
    void aQueueNameThatIsNoValidBeanName() {
        runner.withPropertyValues("lazy-workqueue.queues[9 lives].max-active=1")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.9 lives", "9 lives",
                    "the queue name is not a valid bean name: it must start with a letter and hold only letters,"
                            + " digits, '-' and '_'",
                    "Rename the queue under lazy-workqueue.queues, for example to 'rpciod' or 'blocking-io'.")));
    }

    @Test
    void aQueueNameThatAnotherBeanHas() {
        runner.withPropertyValues("lazy-workqueue.queues.applicationTaskExecutor.max-active=1")
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.applicationTaskExecutor",
                    "applicationTaskExecutor",
                    "the queue's bean name 'applicationTaskExecutor' is already taken by another bean",
                    "Rename the queue under lazy-workqueue.queues to a name no other bean uses.")));
    }

    @Test
    void aSettingACustomizerBreaksIsReportedAfterThePropertiesPassed() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1")
            .withBean(LazyWorkqueueBuilderCustomizer.class, () -> (name, builder) -> builder.maxActive(0))
            .run(report(analysis -> assertProblem(analysis, "lazy-workqueue.queues.rpciod", "0",
                    "maxActive must be at least 1, was 0",
                    "Correct the LazyWorkqueueBuilderCustomizer that sets maxActive for queue 'rpciod'.")));
    }

    @Test
    void aMalformedCpulistIsABindFailureNamingThePropertyAndValue() {
        assertBindFailure("lazy-workqueue.queues.rpciod.cpus", "0-x");
    }

    @Test
    void aQueueCapacityThatIsNoNumberIsABindFailure() {
        assertBindFailure("lazy-workqueue.queues.rpciod.queue-capacity", "unbounded");
    }

    @Test
    void unknownEnumWordsAreBindFailuresNamingThePropertyAndValue() {
        assertBindFailure("lazy-workqueue.queues.rpciod.affinity", "strikt");
    }

    @Test
    void aMisspelledKeyUnderAQueueFailsStartUp() {
        assertUnbound("lazy-workqueue.queues.rpciod.idle-timout=5s");
    }

    @Test
    void aMisspelledKeyUnderTheDefaultsFailsStartUp() {
        assertUnbound("lazy-workqueue.queues.rpciod.max-active=1", "lazy-workqueue.defaults.max-activ=2");
    }

    @Test
    void aMisspelledTopLevelKeyFailsStartUp() {
        assertUnbound("lazy-workqueue.queues.rpciod.max-active=1", "lazy-workqueue.default-queu=rpciod");
    }

    private void assertBindFailure(String property, String value) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertFailedWithAWarning(context);
            BindException failure = causeOfType(context.getStartupFailure(), BindException.class);
            assertThat(failure.getProperty().getName()).hasToString(property);
            assertThat(failure.getProperty().getValue()).isEqualTo(value);
        });
    }

    private void assertUnbound(String... properties) {
        String misspelled = properties[properties.length - 1].split("=")[0];
        runner.withPropertyValues(properties).run(context -> {
            assertFailedWithAWarning(context);
            UnboundConfigurationPropertiesException failure = causeOfType(context.getStartupFailure(),
                    UnboundConfigurationPropertiesException.class);
            assertThat(failure.getUnboundProperties()).singleElement()
                .satisfies(unbound -> assertThat(unbound.getName()).hasToString(misspelled));
        });
    }

    /** The context failed, and Spring said so once at WARN, with the failure. */
    private void assertFailedWithAWarning(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        assertThat(refreshLog.events()).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).isEqualTo("Exception encountered during context initialization"
                    + " - cancelling refresh attempt: " + context.getStartupFailure());
        });
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        Throwable cause = failure;
        while (!type.isInstance(cause)) {
            assertThat(cause).as("a cause of type " + type.getSimpleName()).isNotNull();
            cause = cause.getCause();
        }
        return type.cast(cause);
    }

    /** @return a check of the failure analysis that Spring Boot would print for the failed start */
    private ContextConsumer<AssertableApplicationContext> report(Consumer<FailureAnalysis> check) {
        return context -> {
            assertFailedWithAWarning(context);
            FailureAnalysis analysis = Stream
                .of(new InvalidWorkqueuePropertiesFailureAnalyzer(), new InvalidWorkqueueConfigurationFailureAnalyzer())
                .map((FailureAnalyzer analyzer) -> analyzer.analyze(context.getStartupFailure()))
                .filter(result -> result != null)
                .findFirst()
                .orElseThrow();
            assertThat(analysis.getDescription()).startsWith("Invalid lazy-workqueue configuration:");
            check.accept(analysis);
        };
    }

    private static void assertProblem(FailureAnalysis analysis, String property, String value, String reason,
            String action) {
        assertThat(analysis.getDescription()).contains("    Property: " + property + "\n    Value: \"" + value + "\"\n")
            .contains("    Reason: " + reason);
        assertThat(analysis.getAction()).contains(action);
    }
}
