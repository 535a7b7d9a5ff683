package io.lazyworkqueue.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lazyworkqueue.CpuSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a Prometheus server that scrapes the sample application must show after a known workload: the
 * {@code lazy_workqueue} series with the counts the workload implies, and an answer to every query of the
 * Grafana dashboard.
 */
final class ScrapeCheck {

    static final int PERCPU_TASKS = 40;

    static final int BLOCKING_IO_TASKS = 12;

    static final int ORDERED_TASKS = 5;

    /** The pool group of the sample's queues that share their thread settings; blocking-io idles longer. */
    static final String SHARED_POOL = "ordered,percpu";

    private static final String APP = "application=\"lazy-workqueue-sample\"";

    private final PrometheusApi prometheus;

    private final SampleAppProcess app;

    private final int cpu;

    ScrapeCheck(PrometheusApi prometheus, SampleAppProcess app) {
        this.prometheus = prometheus;
        this.app = app;
        this.cpu = CpuSet.allowed().last();
    }

    /** Waits until Prometheus scrapes the application, so that counters have a sample from before the work. */
    void awaitFirstScrape() {
        await("Prometheus scraping " + app).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(prometheus.targetHealth()).containsExactly("up");
            assertThat(prometheus.query("lazy_workqueue_live_threads{" + APP + "}")).isNotEmpty();
        });
    }

    /** Queues the known workload: 40 tasks on the last CPU of the per-CPU queue, and work for the other two. */
    void postWorkload() {
        Http.post(app.url("/work?queue=percpu&tasks=" + PERCPU_TASKS + "&cpu=" + cpu + "&millis=2"));
        Http.post(app.url("/work?queue=blocking-io&tasks=" + BLOCKING_IO_TASKS + "&millis=20"));
        Http.post(app.url("/work?queue=ordered&tasks=" + ORDERED_TASKS));
    }

    void assertSeriesShowTheWorkload() {
        await("the workload in Prometheus").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(prometheus.valuesBy("queue",
                    "sum by (queue) (lazy_workqueue_completed_tasks_total{" + APP + "})"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("percpu", (double) PERCPU_TASKS,
                        "blocking-io", (double) BLOCKING_IO_TASKS, "ordered", (double) ORDERED_TASKS));
            assertThat(prometheus.value("sum(lazy_workqueue_completed_tasks_total{queue=\"percpu\", cpu=\"" + cpu
                    + "\"})")).isEqualTo(PERCPU_TASKS);
            assertThat(prometheus.value("sum(lazy_workqueue_task_run_seconds_count{queue=\"percpu\"})"))
                .isEqualTo(PERCPU_TASKS);
            assertThat(prometheus.value("sum(lazy_workqueue_task_wait_seconds_count{queue=\"blocking-io\"})"))
                .isEqualTo(BLOCKING_IO_TASKS);
        });
        assertThat(prometheus.value("sum(lazy_workqueue_spawned_threads_total{queue=\"percpu\", cpu=\"" + cpu + "\"})"))
            .as("worker threads started for CPU %d of percpu", cpu).isGreaterThanOrEqualTo(1);
        assertThat(prometheus.value("sum(lazy_workqueue_pool_spawned_threads_total{pool=\"" + SHARED_POOL + "\"})"))
            .as("worker threads started by the pools of %s", SHARED_POOL).isGreaterThanOrEqualTo(1);
        assertThat(prometheus.value("sum(lazy_workqueue_pool_spawn_failures_total{" + APP + "})")).isZero();
        assertThat(prometheus.labelValues("pool", "lazy_workqueue_pool_workers_threads"))
            .containsExactlyInAnyOrder(SHARED_POOL, "blocking-io");
        assertThat(prometheus.value("sum(lazy_workqueue_rejected_tasks_total{" + APP + "})")).isZero();
        assertThat(prometheus.value("sum(lazy_workqueue_spawn_failures_total{" + APP + "})")).isZero();
        assertThat(prometheus.labelValues("queue", "lazy_workqueue_live_threads"))
            .containsExactlyInAnyOrder("percpu", "blocking-io", "ordered");
        assertThat(prometheus.labelValues("job", "lazy_workqueue_live_threads")).containsExactly(PrometheusConfig.JOB);
    }

    void assertEveryDashboardQueryAnswers() {
        DashboardQueries dashboard = DashboardQueries.read(Settings.dashboard());
        List<String> expressions = dashboard.panelExpressions();
        List<DashboardQueries.LabelValues> variables = dashboard.variableQueries();
        assertThat(expressions).as("panel queries of %s", Settings.dashboard()).isNotEmpty();
        assertThat(variables).extracting(DashboardQueries.LabelValues::variable).contains("queue", "pool", "instance");
        // rate() needs two samples inside its range; the scrapes that follow the workload bring them.
        await("every dashboard query answering").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> empty = new ArrayList<>();
            for (String expression : expressions) {
                if (prometheus.query(expression).isEmpty()) {
                    empty.add(expression);
                }
            }
            for (DashboardQueries.LabelValues variable : variables) {
                if (prometheus.labelValues(variable.label(), variable.selector()).isEmpty()) {
                    empty.add("label_values(" + variable.selector() + ", " + variable.label() + ")");
                }
            }
            assertThat(empty).as("dashboard queries with an empty result").isEmpty();
        });
        assertThat(prometheus.labelValues("instance", "lazy_workqueue_live_threads"))
            .containsExactly("127.0.0.1:" + app.port());
    }
}
