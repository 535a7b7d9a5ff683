package io.lazyworkqueue.autoconfigure;

import io.lazyworkqueue.metrics.LazyWorkqueueMetrics;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the workqueues' Micrometer meters, bound to the application's meter
 * registry when Micrometer is present.
 */
@AutoConfiguration(after = LazyWorkqueueAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ LazyWorkqueueRegistry.class, MeterRegistry.class })
public final class LazyWorkqueueMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LazyWorkqueueMetrics lazyWorkqueueMetrics(LazyWorkqueueRegistry registry, LazyWorkqueueProperties properties) {
        return new LazyWorkqueueMetrics(registry.getExecutors().values().stream()
            .map(LazyWorkqueueTaskExecutor::getWorkqueue)
            .toList(), properties.getMetrics().isCpuTag());
    }
}
