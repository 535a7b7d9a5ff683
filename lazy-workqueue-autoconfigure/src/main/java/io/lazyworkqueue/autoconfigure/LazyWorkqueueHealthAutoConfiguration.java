package io.lazyworkqueue.autoconfigure;

import io.lazyworkqueue.actuate.WorkqueuesHealthIndicator;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code workqueues} health contributor, which turns DOWN while a
 * workqueue's stall watchdog finds a stalled CPU.
 */
@AutoConfiguration(after = LazyWorkqueueAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LazyWorkqueueRegistry.class)
@ConditionalOnEnabledHealthIndicator("workqueues")
public final class LazyWorkqueueHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "workqueuesHealthIndicator")
    WorkqueuesHealthIndicator workqueuesHealthIndicator(LazyWorkqueueRegistry registry) {
        return new WorkqueuesHealthIndicator(registry);
    }
}
