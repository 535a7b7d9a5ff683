package io.lazyworkqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when at least one queue is configured under {@code lazy-workqueue.queues}. */
final class OnQueuesConfiguredCondition extends SpringBootCondition {

    private static final ConfigurationPropertyName QUEUES = ConfigurationPropertyName.of("lazy-workqueue.queues");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        for (var source : ConfigurationPropertySources.get(context.getEnvironment())) {
            if (source.containsDescendantOf(QUEUES) == ConfigurationPropertyState.PRESENT) {
                return ConditionOutcome.match("lazy-workqueue.queues are configured");
            }
        }
        return ConditionOutcome.noMatch("no lazy-workqueue.queues are configured");
    }
}
