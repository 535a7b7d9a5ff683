package io.lazyworkqueue.it;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs a test class only where the Prometheus binary exists; see {@link RequiresLocalPrometheus}. */
final class LocalPrometheusCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Path binary = Settings.prometheusBinary();
        if (Files.isExecutable(binary)) {
            return ConditionEvaluationResult.enabled(binary + " exists");
        }
        return Skips.skipOrFail(context, "no Prometheus binary at " + binary
                + " (apt-get install prometheus, or set -Dlazyworkqueue.prometheus.binary)",
                "lazyworkqueue.require-prometheus");
    }
}
