package io.lazyworkqueue.autoconfigure;

import java.util.List;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a queue name that cannot be a bean name, or a setting the engine refuses after the
 * properties passed validation, into Spring Boot's start-up failure report.
 */
final class InvalidWorkqueueConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidWorkqueueConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidWorkqueueConfigurationException cause) {
        return ProblemReport.of(List.of(new Problem(cause.getProperty(), cause.getValue(), null, cause.getReason(),
                cause.getAction())), cause);
    }
}
