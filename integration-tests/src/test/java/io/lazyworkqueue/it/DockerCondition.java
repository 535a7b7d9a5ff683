package io.lazyworkqueue.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** Runs a test class only where Testcontainers finds a Docker daemon; see {@link RequiresDocker}. */
final class DockerCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.enabled("a Docker daemon answers");
        }
        return Skips.skipOrFail(context, "no Docker daemon answers (Testcontainers found no working Docker environment)",
                "lazyworkqueue.require-docker");
    }
}
