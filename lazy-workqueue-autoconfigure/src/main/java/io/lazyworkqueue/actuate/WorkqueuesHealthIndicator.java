package io.lazyworkqueue.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lazyworkqueue.CpuSnapshot;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.WorkqueueSnapshot;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the workqueues: UP, or DOWN while the stall watchdog finds queued work on some CPU
 * that has not moved for its threshold, or once a workqueue has lost its core thread, with each
 * stalled queue and CPU and each failed queue in the details.
 */
public final class WorkqueuesHealthIndicator extends AbstractHealthIndicator {

    private final LazyWorkqueueRegistry registry;

    /**
     * @param registry the workqueues to watch
     */
    public WorkqueuesHealthIndicator(LazyWorkqueueRegistry registry) {
        super("Workqueues health check failed");
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<Map<String, Object>> stalled = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        registry.getExecutors().forEach((name, executor) -> {
            LazyWorkqueue workqueue = executor.getWorkqueue();
            WorkqueueSnapshot snapshot = workqueue.snapshot();
            if (snapshot.coreFailure() != null) {
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put("queue", name);
                failure.put("coreFailure", snapshot.coreFailure());
                failed.add(failure);
            }
            for (CpuSnapshot cpu : snapshot.cpus()) {
                if (cpu.stalledSince() != null) {
                    Map<String, Object> stall = new LinkedHashMap<>();
                    stall.put("queue", name);
                    stall.put("cpu", cpu.cpu());
                    stall.put("queued", cpu.queued());
                    stall.put("stalledSince", cpu.stalledSince().toString());
                    stall.put("threshold", workqueue.config().watchdogThreshold().toString());
                    stalled.add(stall);
                }
            }
        });
        if (stalled.isEmpty() && failed.isEmpty()) {
            builder.up().withDetail("workqueues", registry.getNames().size());
            return;
        }
        builder.down();
        if (!failed.isEmpty()) {
            builder.withDetail("failed", failed);
        }
        if (!stalled.isEmpty()) {
            builder.withDetail("stalled", stalled);
        }
    }
}
