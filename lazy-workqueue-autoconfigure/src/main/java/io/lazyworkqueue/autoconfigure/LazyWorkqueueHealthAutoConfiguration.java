package io.lazyworkqueue.autoconfigure;

import io.lazyworkqueue.actuate.WorkqueuesHealthContributor;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code workqueues} health contributor: one child per workqueue, DOWN
 * while that workqueue's stall watchdog finds a stalled CPU or once the manager thread died while serving it.
 */
@AutoConfiguration(after = LazyWorkqueueAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LazyWorkqueueRegistry.class)
@ConditionalOnEnabledHealthIndicator("workqueues")
public final class LazyWorkqueueHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "workqueuesHealthContributor")
    CompositeHealthContributor workqueuesHealthContributor(LazyWorkqueueRegistry registry) {
        return WorkqueuesHealthContributor.of(registry);
    }
}
