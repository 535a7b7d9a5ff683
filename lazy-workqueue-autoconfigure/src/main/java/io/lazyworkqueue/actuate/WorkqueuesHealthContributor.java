package io.lazyworkqueue.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.lazyworkqueue.spring.LazyWorkqueueRegistry;

import org.springframework.boot.health.contributor.CompositeHealthContributor;

/**
 * Makes the {@code workqueues} health contributor: one child per workqueue, named as the queue,
 * so that {@code /actuator/health/workqueues/{name}} answers for one queue and a health group can
 * include {@code workqueues/{name}}.
 */
public final class WorkqueuesHealthContributor {

    private WorkqueuesHealthContributor() {
    }

    /**
     * @param registry the workqueues to watch
     * @return a composite contributor with a health indicator per workqueue, in configuration order
     */
    public static CompositeHealthContributor of(LazyWorkqueueRegistry registry) {
        Map<String, WorkqueueHealthIndicator> indicators = new LinkedHashMap<>();
        registry.getExecutors().forEach((name, executor) -> indicators.put(name,
                new WorkqueueHealthIndicator(executor.getWorkqueue())));
        return CompositeHealthContributor.fromMap(indicators);
    }
}
