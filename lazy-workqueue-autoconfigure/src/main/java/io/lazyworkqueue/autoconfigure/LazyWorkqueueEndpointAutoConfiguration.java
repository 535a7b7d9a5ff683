package io.lazyworkqueue.autoconfigure;

import io.lazyworkqueue.actuate.WorkqueuesEndpoint;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code workqueues} actuator endpoint, when Actuator is present and
 * the endpoint is available.
 */
@AutoConfiguration(after = LazyWorkqueueAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(LazyWorkqueueRegistry.class)
@ConditionalOnAvailableEndpoint(WorkqueuesEndpoint.class)
public final class LazyWorkqueueEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WorkqueuesEndpoint workqueuesEndpoint(LazyWorkqueueRegistry registry) {
        return new WorkqueuesEndpoint(registry);
    }
}
