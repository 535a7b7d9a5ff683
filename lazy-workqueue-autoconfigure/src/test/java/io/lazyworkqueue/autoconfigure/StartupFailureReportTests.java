package io.lazyworkqueue.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** What a user sees when an application with a bad workqueue configuration starts. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

    @Test
    void anInvalidValueFailsStartUpWithAReportNamingThePropertyValueReasonAndFix(CapturedOutput output) {
        start("--lazy-workqueue.queues.rpciod.max-active=0");

        assertThat(output).contains("""
                ***************************
                APPLICATION FAILED TO START
                ***************************

                Description:

                Invalid lazy-workqueue configuration:

                    Property: lazy-workqueue.queues.rpciod.max-active
                    Value: "0"
                    Reason: maxActive must be at least 1, was 0

                Action:

                Set lazy-workqueue.queues.rpciod.max-active to 1 or more.
                """);
    }

    @Test
    void anUnknownEnumWordFailsStartUpWithAReportListingTheValidWords(CapturedOutput output) {
        start("--lazy-workqueue.queues.rpciod.cpu-selection=random");

        assertThat(output).contains("Failed to bind properties under 'lazy-workqueue.queues.rpciod.cpu-selection'"
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

    private static void start(String... args) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run(args));
    }

    @SpringBootApplication
    static class App {

    }
}
