package io.lazyworkqueue.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.metrics.LazyWorkqueueMetrics;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What one metrics scrape costs with {@value #QUEUES} workqueues of {@value #CPUS} simulated CPUs
 * each (affinity NONE, so the CPU ids need not exist): reading every meter's value once, and the
 * whole Prometheus text that {@code /actuator/prometheus} would serve. Every CPU has run tasks
 * and keeps an idle worker, so that each CPU has threads, counters, timers and events to read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@org.openjdk.jmh.annotations.Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Threads(1)
public class ScrapeCost {

    static final int QUEUES = 8;

    static final int CPUS = 64;

    /** Tasks each CPU runs before the measurement, so that counters and timers are not zero. */
    static final int TASKS_PER_CPU = 4;

    @Benchmark
    public void readEveryMeter(Scraped state, Blackhole blackhole) {
        for (Meter meter : state.registry.getMeters()) {
            for (Measurement measurement : meter.measure()) {
                blackhole.consume(measurement.getValue());
            }
        }
    }

    @Benchmark
    public String prometheusScrape(Scraped state) {
        return state.registry.scrape();
    }

    /** The workqueues, bound to a Prometheus registry as the starter binds them. */
    @State(Scope.Benchmark)
    public static class Scraped {

        final List<LazyWorkqueue> workqueues = new ArrayList<>();

        PrometheusMeterRegistry registry;

        LazyWorkqueueMetrics metrics;

        @Setup(Level.Trial)
        public void open() throws InterruptedException {
            for (int i = 0; i < QUEUES; i++) {
                workqueues.add(LazyWorkqueue.builder("queue" + i)
                    .cpus("0-" + (CPUS - 1))
                    .affinity(AffinityMode.NONE)
                    .idleTimeout(Duration.ofHours(1))
                    .build());
            }
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics = new LazyWorkqueueMetrics(workqueues, true);
            metrics.bindTo(registry);
            CountDownLatch ran = new CountDownLatch(QUEUES * CPUS * TASKS_PER_CPU);
            for (LazyWorkqueue workqueue : workqueues) {
                for (int cpu = 0; cpu < CPUS; cpu++) {
                    for (int task = 0; task < TASKS_PER_CPU; task++) {
                        workqueue.executeOn(cpu, ran::countDown);
                    }
                }
            }
            if (!ran.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("The warm-up tasks did not run within a minute");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            metrics.close();
            workqueues.forEach(LazyWorkqueue::close);
            registry.close();
        }
    }
}
