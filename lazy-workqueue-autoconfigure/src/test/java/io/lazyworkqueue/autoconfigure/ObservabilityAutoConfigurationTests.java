package io.lazyworkqueue.autoconfigure;

import io.lazyworkqueue.actuate.WorkqueuesEndpoint;
import io.lazyworkqueue.metrics.LazyWorkqueueMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ObservabilityAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class,
                LazyWorkqueueAutoConfiguration.class,
                LazyWorkqueueEndpointAutoConfiguration.class, LazyWorkqueueHealthAutoConfiguration.class,
                LazyWorkqueueMetricsAutoConfiguration.class))
        .withUserConfiguration(MeterRegistryConfiguration.class)
        .withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1");

    private static final String HEALTH = "workqueuesHealthContributor";

    @Test
    void withQueuesAndActuatorItRegistersTheExposedEndpointTheHealthIndicatorAndTheMetrics() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=workqueues").run(context -> {
            assertThat(context).hasSingleBean(WorkqueuesEndpoint.class);
            assertThat(context).hasBean(HEALTH);
            assertThat(context).hasSingleBean(LazyWorkqueueMetrics.class);
        });
    }

    @Test
    void theHealthContributorHasAnUpChildPerQueueNamedAsTheQueue() {
        runner.withPropertyValues("lazy-workqueue.queues.nfsiod.max-active=2").run(context -> {
            CompositeHealthContributor health = context.getBean(HEALTH, CompositeHealthContributor.class);
            assertThat(health.stream().map(HealthContributors.Entry::name)).containsExactly("rpciod", "nfsiod");
            assertThat(((HealthIndicator) health.getContributor("nfsiod")).health(true).getStatus())
                .isEqualTo(Status.UP);
        });
    }

    @Test
    void theEndpointBacksOffWhenItIsNotExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(WorkqueuesEndpoint.class));
    }

    @Test
    void theHealthIndicatorBacksOffWhenDisabled() {
        runner.withPropertyValues("management.health.workqueues.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(HEALTH));
    }

    @Test
    void everythingBacksOffWithoutQueues() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class,
                    LazyWorkqueueAutoConfiguration.class,
                    LazyWorkqueueEndpointAutoConfiguration.class, LazyWorkqueueHealthAutoConfiguration.class,
                    LazyWorkqueueMetricsAutoConfiguration.class))
            .withUserConfiguration(MeterRegistryConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=workqueues")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(WorkqueuesEndpoint.class);
                assertThat(context).doesNotHaveBean(HEALTH);
                assertThat(context).doesNotHaveBean(LazyWorkqueueMetrics.class);
            });
    }

    @Test
    void theMetricsBackOffWithoutAMeterRegistry() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class,
                    LazyWorkqueueAutoConfiguration.class,
                    LazyWorkqueueMetricsAutoConfiguration.class))
            .withPropertyValues("lazy-workqueue.queues.rpciod.max-active=1")
            .run(context -> assertThat(context).doesNotHaveBean(LazyWorkqueueMetrics.class));
    }

    @Test
    void theMetricsBackOffWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
            .run(context -> assertThat(context).doesNotHaveBean(LazyWorkqueueMetrics.class));
    }

    @Test
    void theEndpointAndHealthBackOffWithoutActuator() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=workqueues")
            .withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(WorkqueuesEndpoint.class);
                assertThat(context).doesNotHaveBean(HEALTH);
                assertThat(context).hasBean("rpciod");
            });
    }

    @Test
    void theCpuTagCanBeTurnedOff() {
        runner.withPropertyValues("lazy-workqueue.metrics.cpu-tag=false").run(context -> {
            context.getBean(LazyWorkqueueMetrics.class).bindTo(context.getBean(MeterRegistry.class));
            assertThat(context.getBean(MeterRegistry.class).find("lazy.workqueue.live").tagKeys("cpu").meters())
                .isEmpty();
            assertThat(context.getBean(MeterRegistry.class).find("lazy.workqueue.live").tags("queue", "rpciod")
                .meters()).hasSize(1);
            assertThat(context.getBean(MeterRegistry.class).find("lazy.workqueue.pool.spawned").tagKeys("cpu").meters())
                .isEmpty();
            assertThat(context.getBean(MeterRegistry.class).find("lazy.workqueue.pool.spawned").tags("pool", "rpciod")
                .meters()).hasSize(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class MeterRegistryConfiguration {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
