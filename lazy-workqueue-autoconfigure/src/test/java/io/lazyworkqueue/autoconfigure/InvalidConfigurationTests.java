package io.lazyworkqueue.autoconfigure;

import io.lazyworkqueue.CpuSet;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each invalid configuration fails start-up with a report that names the property, the value and
 * why, and says what to write instead.
 */
class InvalidConfigurationTests {

    private static final CpuSet ALLOWED = CpuSet.allowed();

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(LazyWorkqueueAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

    @Test
    void cpusOutsideTheAllowedSet() {
        int outside = ALLOWED.last() + 1;
        assertReport("lazy-workqueue.queues.rpciod.cpus=" + ALLOWED.first() + "," + outside, """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.cpus
                    Value: "%1$d,%2$d"
                    Reason: cpus '%1$d,%2$d' includes CPUs %2$d that this process may not use; it may use %3$s. \
                Name CPUs from %3$s, or set affinity NONE to run unpinned queues for CPU ids the machine lacks"""
            .formatted(ALLOWED.first(), outside, ALLOWED),
                "Use CPUs from " + ALLOWED + " in lazy-workqueue.queues.rpciod.cpus, or set"
                        + " lazy-workqueue.queues.rpciod.affinity to none to run unpinned queues for CPU ids the"
                        + " machine lacks.");
    }

    @Test
    void aMalformedCpulist() {
        assertReport("lazy-workqueue.queues.rpciod.cpus=0-x", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.cpus
                    Value: "0-x"
                    Reason: cpus: Malformed cpulist '0-x': 'x' is not a CPU id: CPU ids are written with the ASCII \
                digits 0 to 9; expected comma-separated CPU ids and ranges such as '0-3,8'""",
                "Write lazy-workqueue.queues.rpciod.cpus as a Linux cpulist such as 0-3,8, or remove it to use every"
                        + " CPU the process may use (" + ALLOWED + ").");
    }

    @Test
    void aCoreCpuOutsideTheQueuesCpus() {
        assertReport(new String[] { "lazy-workqueue.queues.rpciod.cpus=0-3", "lazy-workqueue.queues.rpciod.affinity=none",
                "lazy-workqueue.queues.rpciod.core-cpu=7" }, """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.core-cpu
                    Value: "7"
                    Reason: coreCpu 7 is not one of cpus '0-3'; name one of them""",
                "Set lazy-workqueue.queues.rpciod.core-cpu to one of the queue's CPUs, or remove it to use the first"
                        + " of them.");
    }

    @Test
    void aZeroIdleTimeout() {
        assertReport("lazy-workqueue.queues.rpciod.idle-timeout=0s", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.idle-timeout
                    Value: "PT0S"
                    Reason: idleTimeout must be positive, was PT0S""",
                "Set lazy-workqueue.queues.rpciod.idle-timeout to a positive duration, such as 10s.");
    }

    @Test
    void aNegativeAwaitTerminationPeriod() {
        assertReport("lazy-workqueue.queues.rpciod.shutdown.await-termination-period=-5s", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.shutdown.await-termination-period
                    Value: "PT-5S"
                    Reason: the period must not be negative""",
                "Set lazy-workqueue.queues.rpciod.shutdown.await-termination-period to zero or a positive duration,"
                        + " such as 30s.");
    }

    @Test
    void aNegativeWatchdogThreshold() {
        assertReport("lazy-workqueue.queues.rpciod.watchdog-threshold=-1s", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.watchdog-threshold
                    Value: "PT-1S"
                    Reason: watchdogThreshold must be zero (off) or positive, was PT-1S""",
                "Set lazy-workqueue.queues.rpciod.watchdog-threshold to a positive duration such as 30s, or to 0 to"
                        + " turn the watchdog off.");
    }

    @Test
    void aThreadNamePrefixWithALineBreakIsShownEscaped() {
        assertReport("lazy-workqueue.queues.rpciod.thread-name-prefix=rpc\nio-", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.thread-name-prefix
                    Value: "rpc\\nio-"
                    Reason: threadNamePrefix must not be blank and must hold no control characters such as line \
                breaks or tabs, was 'rpc\\nio-'""",
                "Set lazy-workqueue.queues.rpciod.thread-name-prefix to a prefix that is not blank and holds no"
                        + " control characters, or remove it to use 'rpciod/'.");
    }

    @Test
    void maxActiveBelowOne() {
        assertReport("lazy-workqueue.queues.rpciod.max-active=0", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.max-active
                    Value: "0"
                    Reason: maxActive must be at least 1, was 0""",
                "Set lazy-workqueue.queues.rpciod.max-active to 1 or more.");
    }

    @Test
    void maxActiveAboveOneOnAnOrderedQueue() {
        assertReport(new String[] { "lazy-workqueue.queues.log.cpu-selection=ordered",
                "lazy-workqueue.queues.log.max-active=2" }, """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.log.max-active
                    Value: "2"
                    Reason: maxActive 2 is not allowed with cpuSelection ORDERED, which runs one task at a time; use \
                maxActive 1""",
                "Set lazy-workqueue.queues.log.max-active to 1, or set lazy-workqueue.queues.log.cpu-selection to local"
                        + " or round-robin.");
    }

    @Test
    void queueCapacityBelowOne() {
        assertReport("lazy-workqueue.queues.rpciod.queue-capacity=0", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.queue-capacity
                    Value: "0"
                    Reason: queueCapacity must be at least 1, was 0""",
                "Set lazy-workqueue.queues.rpciod.queue-capacity to a positive number, or to unbounded.");
    }

    @Test
    void aQueueCapacityThatIsNoNumber() {
        assertReport("lazy-workqueue.queues.rpciod.queue-capacity=lots", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.queue-capacity
                    Value: "lots"
                    Reason: it is neither a number nor 'unbounded'""",
                "Set lazy-workqueue.queues.rpciod.queue-capacity to a positive number, or to unbounded.");
    }

    @Test
    void aDefaultQueueThatNamesNoQueue() {
        assertReport(new String[] { "lazy-workqueue.queues.rpciod.max-active=1", "lazy-workqueue.queues.io.max-active=2",
                "lazy-workqueue.default-queue=rpcoid" }, """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.default-queue
                    Value: "rpcoid"
                    Reason: there is no queue named 'rpcoid'""",
                "Set lazy-workqueue.default-queue to one of the queues [rpciod, io], or remove it to let plain @Async"
                        + " methods run on Spring Boot's applicationTaskExecutor.");
    }

    @Test
    void aQueueNameThatIsNoValidBeanName() {
        assertReport("lazy-workqueue.queues[9 lives].max-active=1", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.9 lives
                    Value: "9 lives"
                    Reason: the queue name is not a valid bean name: it must start with a letter and hold only \
                letters, digits, '-' and '_'""",
                "Rename the queue under lazy-workqueue.queues, for example to 'rpciod' or 'blocking-io'.");
    }

    @Test
    void aQueueNameThatAnotherBeanHas() {
        assertReport("lazy-workqueue.queues.applicationTaskExecutor.max-active=1", """
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.applicationTaskExecutor
                    Value: "applicationTaskExecutor"
                    Reason: the queue's bean name 'applicationTaskExecutor' is already taken by another bean""",
                "Rename the queue under lazy-workqueue.queues to a name no other bean uses.");
    }

    @Test
    void unknownEnumWordsAreBindFailuresNamingThePropertyAndValue() {
        runner.withPropertyValues("lazy-workqueue.queues.rpciod.affinity=strikt").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("strikt");
            Throwable failure = context.getStartupFailure();
            while (!(failure instanceof BindException)) {
                failure = failure.getCause();
            }
            assertThat(((BindException) failure).getProperty().getName())
                .hasToString("lazy-workqueue.queues.rpciod.affinity");
            assertThat(((BindException) failure).getProperty().getValue()).isEqualTo("strikt");
        });
    }

    private void assertReport(String property, String description, String action) {
        assertReport(new String[] { property }, description, action);
    }

    private void assertReport(String[] properties, String description, String action) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidWorkqueueConfigurationFailureAnalyzer()
                .analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo(description);
            assertThat(analysis.getAction()).isEqualTo(action);
        });
    }
}
