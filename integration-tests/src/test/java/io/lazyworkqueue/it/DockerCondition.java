package io.lazyworkqueue.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** Runs a test class only where Testcontainers finds a Docker daemon; see {@link RequiresDocker}. */
final class DockerCondition implements ExecutionCondition {

    /** slf4j-simple's level of the logger that reports Testcontainers' search for a Docker daemon. */
    private static final String DISCOVERY_LOG_LEVEL =
            "org.slf4j.simpleLogger.log.org.testcontainers.dockerclient.DockerClientProviderStrategy";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!Settings.requireDocker()) {
            // Testcontainers logs a missing daemon at ERROR, which would put an ERROR line in a build that only
            // skips these tests. Where Docker is required, the log stays: it lists every place searched. The
            // level must be set before Testcontainers first touches that logger.
            System.setProperty(DISCOVERY_LOG_LEVEL, "off");
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.enabled("a Docker daemon answers");
        }
        return Skips.skipOrFail(context, "no Docker daemon answers (Testcontainers found no working Docker environment)",
                "lazyworkqueue.require-docker");
    }
}
