package io.lazyworkqueue.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.spring.Latches;
import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The endpoint, health and Prometheus scrape of a running application, over real HTTP. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,workqueues,prometheus",
        "management.endpoint.health.show-details=always",
        "lazy-workqueue.queues.rpciod.cpus=0-3", "lazy-workqueue.queues.rpciod.affinity=none",
        "lazy-workqueue.queues.rpciod.idle-timeout=500ms",
        "lazy-workqueue.queues.pinned.idle-timeout=1m",
        "lazy-workqueue.queues.failing.cpus=0-1", "lazy-workqueue.queues.failing.affinity=none",
        "lazy-workqueue.queues.slow.cpus=0-1", "lazy-workqueue.queues.slow.affinity=none",
        "lazy-workqueue.queues.slow.watchdog-threshold=200ms" })
class ActuatorHttpTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("rpciod")
    private LazyWorkqueueTaskExecutor rpciod;

    @Autowired
    @Qualifier("pinned")
    private LazyWorkqueueTaskExecutor pinned;

    @Autowired
    @Qualifier("failing")
    private LazyWorkqueueTaskExecutor failing;

    @Autowired
    @Qualifier("slow")
    private LazyWorkqueueTaskExecutor slow;

    @Test
    void workersAppearOnTheCpusThatGotWorkOnlyAndLeaveAfterTheIdleTimeout() throws Exception {
        // The last task of each CPU holds its worker until the busy picture has been taken.
        CountDownLatch release = new CountDownLatch(1);
        for (int cpu : new int[] { 1, 3 }) {
            for (int i = 0; i < 19; i++) {
                rpciod.executeOn(cpu, () -> { });
            }
            rpciod.executeOn(cpu, () -> Latches.awaitQuietly(release));
        }
        await().until(() -> json(get("/actuator/workqueues/rpciod", 200)).read("$.cpus[*].active", List.class)
            .equals(List.of(0, 1, 0, 1)));

        DocumentContext busy = json(get("/actuator/workqueues/rpciod", 200));
        assertThat(busy.read("$.name", String.class)).isEqualTo("rpciod");
        assertThat(busy.read("$.settings.cpus", String.class)).isEqualTo("0-3");
        assertThat(busy.read("$.cpus[*].cpu", List.class)).containsExactly(0, 1, 2, 3);
        assertThat(busy.read("$.cpus[1].threads[*].name", List.class)).containsExactly("rpciod/1:0");
        assertThat(busy.read("$.cpus[3].threads[*].name", List.class)).containsExactly("rpciod/3:0");
        assertThat(busy.read("$.cpus[0].threads", List.class)).isEmpty();
        assertThat(busy.read("$.cpus[2].threads", List.class)).isEmpty();
        assertThat(busy.read("$.cpus[1].threads[0].pinnedCpu", String.class)).isEqualTo("unpinned");
        assertThat(busy.read("$.cpus[1].threads[0].nativeThreadId", Long.class)).isPositive();
        assertThat(busy.read("$.cpus[1].state", String.class)).isEqualTo("RUNNING");
        assertThat(busy.read("$.cpus[1].counters.completed", Integer.class)).isEqualTo(19);
        assertThat(busy.read("$.cpus[3].counters.spawns", Integer.class)).isEqualTo(1);
        assertThat(busy.read("$.cpus[0].counters.spawns", Integer.class)).isZero();
        release.countDown();

        await().untilAsserted(() -> {
            DocumentContext idle = json(get("/actuator/workqueues/rpciod", 200));
            assertThat(idle.read("$.cpus[*].threads[*]", List.class)).isEmpty();
            assertThat(idle.read("$.events[?(@.type == 'IDLE_EXIT')].cpu", List.class)).containsExactlyInAnyOrder(1, 3);
        });

        PrometheusScrape scrape = new PrometheusScrape(get("/actuator/prometheus", 200));
        for (String cpu : new String[] { "1", "3" }) {
            assertThat(scrape.value("lazy_workqueue_completed_tasks_total", "queue", "rpciod", "cpu", cpu, "outcome",
                    "success")).hasValue(20);
            assertThat(scrape.value("lazy_workqueue_spawned_threads_total", "queue", "rpciod", "cpu", cpu)).hasValue(1);
            assertThat(scrape.value("lazy_workqueue_exited_threads_total", "queue", "rpciod", "cpu", cpu, "reason",
                    "idle")).hasValue(1);
            assertThat(scrape.value("lazy_workqueue_task_wait_seconds_count", "queue", "rpciod", "cpu", cpu))
                .hasValue(20);
            assertThat(scrape.value("lazy_workqueue_task_run_seconds_count", "queue", "rpciod", "cpu", cpu))
                .hasValue(20);
            assertThat(scrape.value("lazy_workqueue_live_threads", "queue", "rpciod", "cpu", cpu)).hasValue(0);
        }
        assertThat(scrape.value("lazy_workqueue_spawned_threads_total", "queue", "rpciod", "cpu", "0")).hasValue(0);
        assertThat(scrape.value("lazy_workqueue_queued_tasks", "queue", "rpciod", "cpu", "1")).hasValue(0);
        assertThat(scrape.value("lazy_workqueue_rejected_tasks_total", "queue", "rpciod", "cpu", "1")).hasValue(0);
        assertThat(scrape.value("lazy_workqueue_stalled", "queue", "rpciod", "cpu", "1")).hasValue(0);
        assertThat(scrape.value("executor_completed_tasks_total", "name", "rpciod")).hasValue(40);
        assertThat(scrape.value("executor_pool_size_threads", "name", "rpciod")).hasValue(1);
        assertThat(scrape.value("executor_pool_max_threads", "name", "rpciod")).hasValue(5);
        assertThat(scrape.value("executor_queued_tasks", "name", "rpciod")).hasValue(0);
        assertThat(scrape.value("executor_active_threads", "name", "rpciod")).hasValue(0);
    }

    @Test
    void threadsOfAStrictQueueShowTheCpuTheyArePinnedTo() throws Exception {
        int cpu = CpuSet.allowed().last();
        pinned.submit(() -> { }).get(10, TimeUnit.SECONDS);
        java.util.concurrent.CompletableFuture.runAsync(() -> { }, task -> pinned.executeOn(cpu, task))
            .get(10, TimeUnit.SECONDS);

        DocumentContext detail = json(get("/actuator/workqueues/pinned", 200));
        assertThat(detail.read("$.cpus[?(@.cpu == " + cpu + ")].threads[0].pinnedCpu", List.class))
            .containsExactly(cpu);
        assertThat(detail.read("$.coreThread.name", String.class)).isEqualTo("pinned/core");
        assertThat(detail.read("$.events[?(@.type == 'PINNED')].thread", List.class)).contains("pinned/" + cpu + ":0");
    }

    @Test
    void spawnFailuresAndFallbackRunsShowInTheEndpointAndTheMetrics() throws Exception {
        for (int i = 0; i < 5; i++) {
            failing.executeOn(1, () -> { });
        }
        failing.getWorkqueue().flush();

        // The core thread reports its fallback run once the batch is over, just after the tasks.
        await().untilAsserted(() -> {
            DocumentContext detail = json(get("/actuator/workqueues/failing", 200));
            assertThat(detail.read("$.cpus[1].counters.spawnFailures", Integer.class)).isPositive();
            assertThat(detail.read("$.cpus[1].counters.fallbackRuns", Integer.class)).isEqualTo(5);
            assertThat(detail.read("$.cpus[1].threads", List.class)).isEmpty();
            assertThat(detail.read("$.events[*].type", List.class)).contains("SPAWN_FAILED", "FALLBACK_RUN");
            assertThat(detail.read("$.events[?(@.type == 'SPAWN_FAILED')].detail", List.class))
                .contains("java.lang.IllegalStateException: no threads for the failing queue");
        });

        PrometheusScrape scrape = new PrometheusScrape(get("/actuator/prometheus", 200));
        assertThat(scrape.value("lazy_workqueue_spawn_failures_total", "queue", "failing", "cpu", "1").orElseThrow())
            .isPositive();
        assertThat(scrape.value("lazy_workqueue_fallback_tasks_total", "queue", "failing", "cpu", "1")).hasValue(5);
    }

    @Test
    void theListShowsEveryQueueWithItsSettingsAndALinePerCpu() throws Exception {
        DocumentContext list = json(get("/actuator/workqueues", 200));

        Map<String, Object> workqueues = list.read("$.workqueues");
        assertThat(workqueues).containsOnlyKeys("rpciod", "pinned", "failing", "slow");
        assertThat(list.read("$.workqueues.rpciod.settings", Map.class)).containsEntry("cpus", "0-3")
            .containsEntry("coreCpu", 0)
            .containsEntry("maxActive", 1)
            .containsEntry("affinity", "NONE")
            .containsEntry("cpuSelection", "LOCAL")
            .containsEntry("queueCapacity", "unbounded")
            .containsKey("idleTimeout");
        assertThat(list.read("$.workqueues.rpciod.cpus", List.class)).hasSize(4)
            .allSatisfy(line -> assertThat((String) line).matches("cpu \\d: \\w+, \\d+ thread\\(s\\), \\d+ queued, \\d+ active"));
    }

    @Test
    void anUnknownQueueIsNotFound() throws Exception {
        get("/actuator/workqueues/nosuchqueue", 404);
    }

    @Test
    void healthIsUpWithTheWorkqueuesContributor() throws Exception {
        DocumentContext health = json(get("/actuator/health", 200));

        assertThat(health.read("$.components.workqueues.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.workqueues.details.workqueues", Integer.class)).isEqualTo(4);
    }

    @Test
    void aTaskThatHoldsUpQueuedWorkPastTheWatchdogThresholdTurnsHealthDownUntilItFinishes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        slow.executeOn(1, () -> Latches.awaitQuietly(release));
        slow.executeOn(1, () -> { });

        await().untilAsserted(() -> {
            DocumentContext down = json(get("/actuator/health", 503));
            assertThat(down.read("$.components.workqueues.status", String.class)).isEqualTo("DOWN");
            assertThat(down.read("$.components.workqueues.details.stalled[0].queue", String.class)).isEqualTo("slow");
            assertThat(down.read("$.components.workqueues.details.stalled[0].cpu", Integer.class)).isEqualTo(1);
            assertThat(down.read("$.components.workqueues.details.stalled[0].queued", Integer.class)).isEqualTo(1);
            assertThat(down.read("$.components.workqueues.details.stalled[0].threshold", String.class))
                .isEqualTo("PT0.2S");
        });
        assertThat(json(get("/actuator/workqueues/slow", 200)).read("$.events[?(@.type == 'STALLED')].cpu", List.class))
            .containsExactly(1);
        PrometheusScrape scrape = new PrometheusScrape(get("/actuator/prometheus", 200));
        assertThat(scrape.value("lazy_workqueue_stalled", "queue", "slow", "cpu", "1")).hasValue(1);

        release.countDown();

        await().untilAsserted(
                () -> assertThat(json(get("/actuator/health", 200)).read("$.components.workqueues.status", String.class))
                    .isEqualTo("UP"));
    }

    private String get(String path, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status of GET %s", path).isEqualTo(expectedStatus);
        return response.body();
    }

    private static DocumentContext json(String body) {
        return JsonPath.parse(body);
    }


    @SpringBootApplication
    static class App {

        @Bean
        LazyWorkqueueBuilderCustomizer failingThreadFactory() {
            return (name, builder) -> {
                if (name.equals("failing")) {
                    builder.threadFactory(task -> {
                        throw new IllegalStateException("no threads for the failing queue");
                    });
                }
            };
        }
    }
}
