package io.lazyworkqueue.autoconfigure;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.lazyworkqueue.spring.CapturedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** What a user sees when an application with a bad workqueue configuration starts. */
class StartupFailureReportTests {

    @RegisterExtension
    final CapturedLog reportLog = CapturedLog.of(LoggingFailureAnalysisReporter.class);

    @RegisterExtension
    final CapturedLog refreshLog = CapturedLog.of(AnnotationConfigApplicationContext.class);

    @RegisterExtension
    final CapturedLog conditionsLog = CapturedLog
        .of("org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger");

    @Test
    void twoInvalidValuesAreReportedInOneFailureWithTheirValuesAsWrittenAndOrigins() {
        start("--spring.config.location=classpath:reports/two-invalid-values.yml");

        assertThat(report()).contains("""
                ***************************
                APPLICATION FAILED TO START
                ***************************

                Description:

                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.idle-timeout
                    Value: "0"
                    Origin: class path resource [reports/two-invalid-values.yml] - 4:21
                    Reason: idle-timeout must be a positive duration

                    Property: lazy-workqueue.queues.rpciod.max-active
                    Value: "0"
                    Origin: class path resource [reports/two-invalid-values.yml] - 5:19
                    Reason: max-active must be at least 1

                Action:

                Update your application's configuration:

                    - Set lazy-workqueue.queues.rpciod.idle-timeout to a positive duration, such as 10s.
                    - Set lazy-workqueue.queues.rpciod.max-active to 1 or more.
                """);
    }

    @Test
    void aMisspelledKeyUnderAQueueFailsStartUp() {
        start("--spring.config.location=classpath:reports/misspelled-key.yml");

        assertThat(report()).contains("Property: lazy-workqueue.queues.rpciod.idle-timout")
            .contains("Value: \"5s\"")
            .contains("Origin: class path resource [reports/misspelled-key.yml] - 4:20")
            .contains("Reason: The elements [lazy-workqueue.queues.rpciod.idle-timout] were left unbound.");
    }

    @Test
    void aMalformedCpulistFailsStartUpWithSpringBootsBindReport() {
        start("--spring.config.location=classpath:reports/malformed-cpus.yml");

        assertThat(report())
            .contains("Failed to bind properties under 'lazy-workqueue.queues.rpciod.cpus' to io.lazyworkqueue.CpuSet:")
            .contains("Property: lazy-workqueue.queues.rpciod.cpus")
            .contains("Value: \"0-x\"")
            .contains("Origin: class path resource [reports/malformed-cpus.yml] - 4:13")
            .contains("Malformed cpulist '0-x': 'x' is not a CPU id");
    }

    @Test
    void aDefaultThatBreaksARuleWithAQueuesOwnSettingIsReportedWithBothKeys() {
        start("--spring.config.location=classpath:reports/default-against-queue.yml");

        assertThat(report()).contains("""
                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.defaults.idle-timeout
                    Value: "-1s"
                    Origin: class path resource [reports/default-against-queue.yml] - 4:19
                    Reason: idle-timeout must be a positive duration

                    Property: lazy-workqueue.queues.log.max-active
                    Value: "2"
                    Origin: class path resource [reports/default-against-queue.yml] - 7:19
                    Reason: max-active 2 is not allowed with cpu-selection ordered \
                (lazy-workqueue.defaults.cpu-selection), which runs one task at a time

                Action:

                Update your application's configuration:

                    - Set lazy-workqueue.defaults.idle-timeout to a positive duration, such as 10s.
                    - Set lazy-workqueue.queues.log.max-active to 1, or set lazy-workqueue.defaults.cpu-selection to \
                local or round-robin.
                """);
    }

    @Test
    void anUnknownEnumWordFailsStartUpWithAReportListingTheValidWords() {
        start("--lazy-workqueue.queues.rpciod.cpu-selection=random");

        assertThat(report()).contains("Failed to bind properties under 'lazy-workqueue.queues.rpciod.cpu-selection'"
                + " to io.lazyworkqueue.CpuSelection:")
            .contains("Property: lazy-workqueue.queues.rpciod.cpu-selection")
            .contains("Value: \"random\"")
            .contains("""
                    Action:

                    Update your application's configuration. The following values are valid:

                        LOCAL
                        ORDERED
                        ROUND_ROBIN
                    """);
    }

    private void start(String... args) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addListeners(reportLog.reattachOnStart(), refreshLog.reattachOnStart(),
                conditionsLog.reattachOnStart());
        assertThatException().isThrownBy(() -> application.run(args));
        assertThat(refreshLog.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN);
        assertThat(conditionsLog.events()).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
            .contains("Error starting ApplicationContext. To display the condition evaluation report re-run your"
                    + " application with 'debug' enabled.");
    }

    /** @return the failure report, logged once at ERROR */
    private String report() {
        assertThat(reportLog.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR);
        return reportLog.events().get(0).getFormattedMessage();
    }

    @SpringBootApplication
    static class App {

    }
}
