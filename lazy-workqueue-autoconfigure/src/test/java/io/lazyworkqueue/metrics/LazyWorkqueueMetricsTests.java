package io.lazyworkqueue.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.spring.Latches;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LazyWorkqueueMetricsTests {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    /** One instance for every queue of a test, since queues share pools only with the same thread factory. */
    private final ThreadFactory threads = task -> {
        Thread thread = new Thread(task);
        thread.setUncaughtExceptionHandler((t, ex) -> { });
        return thread;
    };

    private final List<LazyWorkqueue> built = new ArrayList<>();

    private final LazyWorkqueue workqueue = unpinned("io", "0-3", false);

    @AfterEach
    void close() {
        built.forEach(LazyWorkqueue::close);
    }

    @Test
    void perCpuMetersCountWhatEachCpuDid() throws Exception {
        new LazyWorkqueueMetrics(List.of(workqueue), true).bindTo(registry);
        for (int i = 0; i < 10; i++) {
            workqueue.executeOn(1, () -> { });
        }
        workqueue.executeOn(1, () -> {
            throw new IllegalStateException("failed task");
        });
        workqueue.executeOn(3, () -> { });
        workqueue.flush();

        await().untilAsserted(() -> {
            assertThat(count("lazy.workqueue.completed", "1", "outcome", "success")).isEqualTo(10);
            assertThat(count("lazy.workqueue.completed", "1", "outcome", "failure")).isEqualTo(1);
            assertThat(count("lazy.workqueue.completed", "3", "outcome", "success")).isEqualTo(1);
            assertThat(count("lazy.workqueue.completed", "0", "outcome", "success")).isZero();
        });
        assertThat(count("lazy.workqueue.spawned", "1")).isEqualTo(1);
        assertThat(count("lazy.workqueue.spawned", "2")).isZero();
        assertThat(gauge("lazy.workqueue.live", "1")).isEqualTo(1);
        assertThat(gauge("lazy.workqueue.live", "0")).isZero();
        assertThat(gauge("lazy.workqueue.queued", "1")).isZero();
        assertThat(gauge("lazy.workqueue.stalled", "1")).isZero();
        assertThat(registry.get("lazy.workqueue.task.run").tags("queue", "io", "cpu", "1").timer().count()).isEqualTo(11);
        assertThat(registry.get("lazy.workqueue.task.wait").tags("queue", "io", "cpu", "3").timer().count()).isEqualTo(1);
        assertThat(registry.get("lazy.workqueue.live").meter().getId().getBaseUnit()).isEqualTo("threads");
    }

    @Test
    void withoutTheCpuTagMetersAddUpOverTheCpus() throws Exception {
        new LazyWorkqueueMetrics(List.of(workqueue), false).bindTo(registry);
        for (int cpu = 0; cpu < 4; cpu++) {
            workqueue.executeOn(cpu, () -> { });
        }
        workqueue.flush();

        await().untilAsserted(() -> assertThat(registry.get("lazy.workqueue.completed")
            .tags(Tags.of("queue", "io", "outcome", "success")).functionCounter().count()).isEqualTo(4));
        assertThat(registry.get("lazy.workqueue.live").tags("queue", "io").gauge().value()).isEqualTo(4);
        assertThat(registry.find("lazy.workqueue.live").tagKeys("cpu").meters()).isEmpty();
        assertThat(registry.get("lazy.workqueue.task.run").tags("queue", "io").timers()).hasSize(1);
    }

    @Test
    void theStandardExecutorMetersDescribeTheWholeWorkqueue() throws Exception {
        new LazyWorkqueueMetrics(List.of(workqueue), true).bindTo(registry);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        workqueue.executeOn(2, () -> {
            started.countDown();
            Latches.awaitQuietly(release);
        });
        workqueue.executeOn(2, () -> { });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(registry.get("executor.active").tags("name", "io").gauge().value()).isEqualTo(1);
        assertThat(registry.get("executor.queued").tags("name", "io").gauge().value()).isEqualTo(1);
        assertThat(registry.get("executor.pool.size").tags("name", "io").gauge().value()).isEqualTo(2);
        assertThat(registry.get("executor.pool.max").tags("name", "io").gauge().value()).isEqualTo(5);
        assertThat(registry.get("executor.pool.core").tags("name", "io").gauge().value()).isZero();
        assertThat(registry.get("executor.queue.remaining").tags("name", "io").gauge().value())
            .isEqualTo(Integer.MAX_VALUE);
        release.countDown();
        workqueue.flush();
        await().untilAsserted(() -> assertThat(registry.get("executor.completed").tags("name", "io").functionCounter()
            .count()).isEqualTo(2));
    }

    @Test
    void closingStopsTheTaskTimers() throws Exception {
        LazyWorkqueueMetrics metrics = new LazyWorkqueueMetrics(List.of(workqueue), true);
        metrics.bindTo(registry);
        metrics.close();

        workqueue.executeOn(0, () -> { });
        workqueue.flush();

        assertThat(registry.get("lazy.workqueue.task.run").tags("cpu", "0").timer().count()).isZero();
    }

    @Test
    void boundToACompositeOfTwoRegistriesEachChildSeesEveryTaskOnce() throws Exception {
        MeterRegistry first = new SimpleMeterRegistry();
        MeterRegistry second = new SimpleMeterRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(first);
        composite.add(second);
        try (LazyWorkqueueMetrics metrics = new LazyWorkqueueMetrics(List.of(workqueue), true)) {
            metrics.bindTo(composite);
            metrics.bindTo(composite);
            runOnCpuOne(3);

            for (MeterRegistry child : List.of(first, second)) {
                assertThat(child.get("lazy.workqueue.task.run").tags("queue", "io", "cpu", "1").timer().count())
                    .isEqualTo(3);
                assertThat(child.get("lazy.workqueue.completed").tags("queue", "io", "cpu", "1", "outcome", "success")
                    .functionCounter().count()).isEqualTo(3);
                assertThat(child.get("executor.completed").tags("name", "io").functionCounter().count()).isEqualTo(3);
                assertThat(child.get("lazy.workqueue.live").tags("queue", "io", "cpu", "1").gauge().value()).isEqualTo(1);
            }
        }
    }

    @Test
    void closingTheBinderOfOneRegistryLeavesTheTimersOfAnotherBinderRunning() throws Exception {
        MeterRegistry other = new SimpleMeterRegistry();
        LazyWorkqueueMetrics closed = new LazyWorkqueueMetrics(List.of(workqueue), true);
        try (LazyWorkqueueMetrics kept = new LazyWorkqueueMetrics(List.of(workqueue), true)) {
            closed.bindTo(registry);
            kept.bindTo(other);
            runOnCpuOne(2);
            closed.close();
            runOnCpuOne(3);

            assertThat(registry.get("lazy.workqueue.task.run").tags("cpu", "1").timer().count()).isEqualTo(2);
            assertThat(other.get("lazy.workqueue.task.run").tags("cpu", "1").timer().count()).isEqualTo(5);
        }
    }

    @Test
    void closingLeavesTheApplicationsOwnTimingListenerAlone() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        workqueue.addTaskTimingListener((cpu, waitNanos, runNanos) -> heard.incrementAndGet());
        LazyWorkqueueMetrics metrics = new LazyWorkqueueMetrics(List.of(workqueue), true);
        metrics.bindTo(registry);
        metrics.close();
        runOnCpuOne(4);

        assertThat(heard).hasValue(4);
    }

    @Test
    void afterTasksRanOnACpuThePoolOfThatCpuCountsTheWorkersItStarted() throws Exception {
        new LazyWorkqueueMetrics(List.of(workqueue), true).bindTo(registry);
        runOnCpuOne(5);

        assertThat(poolCount("lazy.workqueue.pool.spawned", "io", "1")).isGreaterThanOrEqualTo(1);
        // The worker parks once it finds no more work, just after the last task.
        await().untilAsserted(() -> {
            assertThat(poolGauge("lazy.workqueue.pool.workers", "io", "1", "state", "idle")).isGreaterThanOrEqualTo(1);
            assertThat(poolGauge("lazy.workqueue.pool.workers", "io", "1", "state", "busy")).isZero();
        });
        assertThat(poolGauge("lazy.workqueue.pool.ready", "io", "1")).isZero();
        assertThat(poolCount("lazy.workqueue.pool.spawn.failures", "io", "1")).isZero();
        for (String reason : new String[] { "idle", "shutdown", "failure" }) {
            assertThat(poolCount("lazy.workqueue.pool.exited", "io", "1", "reason", reason)).isZero();
        }
        assertThat(registry.get("lazy.workqueue.pool.workers").meter().getId().getBaseUnit()).isEqualTo("threads");
        assertThat(registry.get("lazy.workqueue.pool.ready").meter().getId().getBaseUnit()).isEqualTo("tasks");
    }

    @Test
    void queuesThatSharePoolsReportOneSeriesPerCpuUnderTheirSortedNames() throws Exception {
        LazyWorkqueue second = unpinned("db", "2-5", false);
        new LazyWorkqueueMetrics(List.of(workqueue, second), true).bindTo(registry);
        workqueue.executeOn(2, () -> { });
        second.executeOn(2, () -> { });
        second.executeOn(5, () -> { });
        workqueue.flush();
        second.flush();

        assertThat(registry.find("lazy.workqueue.pool.spawned").functionCounters())
            .extracting(counter -> counter.getId().getTag("pool") + " on " + counter.getId().getTag("cpu"))
            .containsExactlyInAnyOrder("db,io on 0", "db,io on 1", "db,io on 2", "db,io on 3", "db,io on 4",
                    "db,io on 5");
        assertThat(poolCount("lazy.workqueue.pool.spawned", "db,io", "2")).isGreaterThanOrEqualTo(1);
        assertThat(poolCount("lazy.workqueue.pool.spawned", "db,io", "5")).isGreaterThanOrEqualTo(1);
        assertThat(registry.find("lazy.workqueue.pool.workers").tag("cpu", "2").gauges()).hasSize(2);
    }

    @Test
    void aDedicatedQueueReportsPoolsOfItsOwn() throws Exception {
        unpinned("db", "0-3", false);
        LazyWorkqueue dedicated = unpinned("audit", "0-3", true);
        new LazyWorkqueueMetrics(built, true).bindTo(registry);
        dedicated.executeOn(3, () -> { });
        dedicated.flush();

        assertThat(registry.find("lazy.workqueue.pool.spawned").tag("cpu", "3").functionCounters())
            .extracting(counter -> counter.getId().getTag("pool"))
            .containsExactlyInAnyOrder("db,io", "audit");
        assertThat(poolCount("lazy.workqueue.pool.spawned", "audit", "3")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void withoutTheCpuTagPoolMetersAddUpOverTheCpus() throws Exception {
        new LazyWorkqueueMetrics(List.of(workqueue), false).bindTo(registry);
        workqueue.executeOn(0, () -> { });
        workqueue.executeOn(2, () -> { });
        workqueue.flush();

        assertThat(registry.get("lazy.workqueue.pool.spawned").tags("pool", "io").functionCounter().count())
            .isGreaterThanOrEqualTo(2);
        assertThat(registry.find("lazy.workqueue.pool.spawned").functionCounters()).hasSize(1);
        assertThat(registry.find("lazy.workqueue.pool.workers").tagKeys("cpu").meters()).isEmpty();
    }

    private LazyWorkqueue unpinned(String name, String cpus, boolean dedicated) {
        // One task of each at a time on a CPU, so that a task held up keeps the next one queued.
        LazyWorkqueue unpinned = LazyWorkqueue.builder(name).cpus(cpus).affinity(AffinityMode.NONE).maxActive(1)
            .idleTimeout(Duration.ofMinutes(5)).threadFactory(threads).dedicated(dedicated).build();
        built.add(unpinned);
        return unpinned;
    }

    private void runOnCpuOne(int tasks) throws InterruptedException {
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < tasks; i++) {
            workqueue.executeOn(1, ran::incrementAndGet);
        }
        workqueue.flush();
        assertThat(ran).hasValue(tasks);
    }

    private double count(String name, String cpu, String... tags) {
        return registry.get(name).tags("queue", "io", "cpu", cpu).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String cpu) {
        return registry.get(name).tags("queue", "io", "cpu", cpu).gauge().value();
    }

    private double poolCount(String name, String pool, String cpu, String... tags) {
        return registry.get(name).tags("pool", pool, "cpu", cpu).tags(tags).functionCounter().count();
    }

    private double poolGauge(String name, String pool, String cpu, String... tags) {
        return registry.get(name).tags("pool", pool, "cpu", cpu).tags(tags).gauge().value();
    }
}
