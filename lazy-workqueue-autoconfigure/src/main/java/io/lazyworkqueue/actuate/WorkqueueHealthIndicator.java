package io.lazyworkqueue.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lazyworkqueue.CpuStats;
import io.lazyworkqueue.LazyWorkqueue;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one workqueue: UP, or DOWN while its stall watchdog finds queued work on some CPU that
 * has not moved for the threshold (each such CPU in the details), or for good once the manager
 * thread died while serving it. Reads the workqueue's lock-free stats only.
 */
final class WorkqueueHealthIndicator extends AbstractHealthIndicator {

    private final LazyWorkqueue workqueue;

    WorkqueueHealthIndicator(LazyWorkqueue workqueue) {
        super("Health check of workqueue '" + workqueue.name() + "' failed");
        this.workqueue = workqueue;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<CpuStats> cpus = workqueue.stats();
        List<Map<String, Object>> stalled = new ArrayList<>();
        int queued = 0;
        for (CpuStats cpu : cpus) {
            queued += cpu.queued();
            if (cpu.stalledSince() != null) {
                Map<String, Object> stall = new LinkedHashMap<>();
                stall.put("cpu", cpu.cpu());
                stall.put("queued", cpu.queued());
                stall.put("stalledSince", cpu.stalledSince().toString());
                stalled.add(stall);
            }
        }
        String coreFailure = workqueue.coreFailure();
        if (coreFailure == null && stalled.isEmpty()) {
            builder.up().withDetail("liveThreads", workqueue.liveThreads()).withDetail("queued", queued);
            return;
        }
        builder.down();
        if (coreFailure != null) {
            builder.withDetail("coreFailure", coreFailure);
        }
        if (!stalled.isEmpty()) {
            builder.withDetail("stalled", stalled).withDetail("threshold", workqueue.config().watchdogThreshold().toString());
        }
    }
}
