package io.lazyworkqueue.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an invalid {@code lazy-workqueue.*} property into Spring Boot's start-up failure report. */
final class InvalidWorkqueueConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidWorkqueueConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidWorkqueueConfigurationException cause) {
        String description = "Invalid lazy-workqueue configuration:%n%n    Property: %s%n    Value: \"%s\"%n    Reason: %s"
            .formatted(cause.getProperty(), cause.getValue(), cause.getReason());
        return new FailureAnalysis(description, cause.getAction(), cause);
    }
}
