package io.lazyworkqueue.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lazyworkqueue.CpuSnapshot;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.spring.LazyWorkqueueRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the workqueues: UP, or DOWN while the stall watchdog finds queued work on some CPU
 * that has not moved for its threshold, with each stalled queue and CPU in the details.
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
        registry.getExecutors().forEach((name, executor) -> {
            LazyWorkqueue workqueue = executor.getWorkqueue();
            for (CpuSnapshot cpu : workqueue.snapshot().cpus()) {
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
        if (stalled.isEmpty()) {
            builder.up().withDetail("workqueues", registry.getNames().size());
        }
        else {
            builder.down().withDetail("stalled", stalled);
        }
    }
}
