package io.lazyworkqueue.actuate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.EngineLog;
import io.lazyworkqueue.spring.Latches;
import io.lazyworkqueue.spring.LazyWorkqueueBuilderCustomizer;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint and health of a running application, over real HTTP, and the meters it registers. The
 * Prometheus text format of those meters is checked against a real Prometheus by the integration tests.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,workqueues",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.group.slowqueue.include=workqueues/slow",
        "management.endpoint.health.group.slowqueue.show-details=always",
        "lazy-workqueue.queues.rpciod.cpus=0-3", "lazy-workqueue.queues.rpciod.affinity=none",
        "lazy-workqueue.queues.rpciod.idle-timeout=500ms", "lazy-workqueue.queues.rpciod.max-active=1",
        "lazy-workqueue.queues.pinned.idle-timeout=1m",
        "lazy-workqueue.queues.failing.cpus=0-1", "lazy-workqueue.queues.failing.affinity=none",
        "lazy-workqueue.queues.failing.dedicated=true",
        "lazy-workqueue.queues.slow.cpus=0-1", "lazy-workqueue.queues.slow.affinity=none",
        "lazy-workqueue.queues.slow.watchdog-threshold=200ms", "lazy-workqueue.queues.slow.max-active=1",
        "lazy-workqueue.queues.listed.cpus=0-2", "lazy-workqueue.queues.listed.affinity=none",
        "lazy-workqueue.queues.listed.idle-timeout=500ms", "lazy-workqueue.queues.listed.max-active=1" })
@AutoConfigureRestTestClient
class ActuatorHttpTests {

    @RegisterExtension
    final EngineLog engineLog = new EngineLog();

    @Autowired
    private RestTestClient http;

    @Autowired
    private MeterRegistry meters;

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

    @Autowired
    @Qualifier("listed")
    private LazyWorkqueueTaskExecutor listed;

    @Test
    void workersAppearOnTheCpusThatGotWorkOnlyAndLeaveAfterTheIdleTimeout() {
        // The last task of each CPU holds its worker until the busy picture has been taken.
        CountDownLatch release = new CountDownLatch(1);
        for (int cpu : new int[] { 1, 3 }) {
            for (int i = 0; i < 19; i++) {
                rpciod.executeOn(cpu, () -> { });
            }
            rpciod.executeOn(cpu, () -> Latches.awaitQuietly(release));
        }
        await().until(() -> json("/actuator/workqueues/rpciod", 200).read("$.cpus[*].active", List.class)
            .equals(List.of(0, 1, 0, 1)));

        DocumentContext busy = json("/actuator/workqueues/rpciod", 200);
        assertThat(busy.read("$.name", String.class)).isEqualTo("rpciod");
        assertThat(busy.read("$.settings.cpus", String.class)).isEqualTo("0-3");
        assertThat(busy.<List<Object>>read("$.cpus[*].cpu")).containsExactly(0, 1, 2, 3);
        assertThat(busy.<List<Object>>read("$.cpus[1].threads[*].name")).containsExactly("rpciod/1:0");
        assertThat(busy.<List<Object>>read("$.cpus[3].threads[*].name")).containsExactly("rpciod/3:0");
        assertThat(busy.<List<Object>>read("$.cpus[0].threads")).isEmpty();
        assertThat(busy.<List<Object>>read("$.cpus[2].threads")).isEmpty();
        assertThat(busy.<Map<String, Object>>read("$.cpus[1].threads[0]")).containsEntry("pinnedCpu", null);
        assertThat(busy.read("$.cpus[1].threads[0].nativeThreadId", Long.class)).isPositive();
        assertThat(busy.read("$.cpus[1].state", String.class)).isEqualTo("RUNNING");
        assertThat(busy.read("$.cpus[1].counters.completed", Integer.class)).isEqualTo(19);
        assertThat(busy.read("$.cpus[3].counters.spawns", Integer.class)).isEqualTo(1);
        assertThat(busy.read("$.cpus[0].counters.spawns", Integer.class)).isZero();
        release.countDown();

        await().untilAsserted(() -> {
            DocumentContext idle = json("/actuator/workqueues/rpciod", 200);
            assertThat(idle.<List<Object>>read("$.cpus[*].threads[*]")).isEmpty();
            assertThat(idle.<List<Object>>read("$.events[?(@.type == 'IDLE_EXIT')].cpu")).containsExactlyInAnyOrder(1, 3);
        });

        for (String cpu : new String[] { "1", "3" }) {
            assertThat(count("lazy.workqueue.completed", "queue", "rpciod", "cpu", cpu, "outcome", "success"))
                .isEqualTo(20);
            assertThat(count("lazy.workqueue.spawned", "queue", "rpciod", "cpu", cpu)).isEqualTo(1);
            assertThat(count("lazy.workqueue.exited", "queue", "rpciod", "cpu", cpu, "reason", "idle")).isEqualTo(1);
            assertThat(timed("lazy.workqueue.task.wait", "queue", "rpciod", "cpu", cpu)).isEqualTo(20);
            assertThat(timed("lazy.workqueue.task.run", "queue", "rpciod", "cpu", cpu)).isEqualTo(20);
            assertThat(gauge("lazy.workqueue.live", "queue", "rpciod", "cpu", cpu)).isZero();
        }
        assertThat(count("lazy.workqueue.spawned", "queue", "rpciod", "cpu", "0")).isZero();
        assertThat(gauge("lazy.workqueue.queued", "queue", "rpciod", "cpu", "1")).isZero();
        assertThat(count("lazy.workqueue.rejected", "queue", "rpciod", "cpu", "1")).isZero();
        assertThat(gauge("lazy.workqueue.stalled", "queue", "rpciod", "cpu", "1")).isZero();
        assertThat(count("executor.completed", "name", "rpciod")).isEqualTo(40);
        assertThat(gauge("executor.pool.size", "name", "rpciod")).as("no worker, and no manager with nothing to do")
            .isZero();
        assertThat(gauge("executor.pool.max", "name", "rpciod")).isEqualTo(5);
        assertThat(gauge("executor.queued", "name", "rpciod")).isZero();
        assertThat(gauge("executor.active", "name", "rpciod")).isZero();
    }

    @Test
    void threadsOfAStrictQueueShowTheCpuTheyArePinnedTo() throws Exception {
        int cpu = CpuSet.allowed().last();
        pinned.submit(() -> { }).get(10, TimeUnit.SECONDS);
        java.util.concurrent.CompletableFuture.runAsync(() -> { }, task -> pinned.executeOn(cpu, task))
            .get(10, TimeUnit.SECONDS);

        DocumentContext detail = json("/actuator/workqueues/pinned", 200);
        assertThat(detail.<List<Object>>read("$.cpus[?(@.cpu == " + cpu + ")].threads[0].pinnedCpu"))
            .containsExactly(cpu);
        assertThat(detail.<List<Object>>read("$.events[?(@.type == 'PINNED')].thread")).contains("pinned/" + cpu + ":0");
    }

    @Test
    void spawnFailuresAndFallbackRunsShowInTheEndpointAndTheMetrics() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            failing.executeOn(1, () -> { });
        }
        failing.getWorkqueue().flush();

        // The manager reports its fallback run once the batch is over, just after the tasks.
        await().untilAsserted(() -> {
            DocumentContext detail = json("/actuator/workqueues/failing", 200);
            assertThat(detail.read("$.cpus[1].counters.spawnFailures", Integer.class)).isPositive();
            assertThat(detail.read("$.cpus[1].counters.fallbackRuns", Integer.class)).isEqualTo(5);
            assertThat(detail.<List<Object>>read("$.cpus[1].threads")).isEmpty();
            assertThat(detail.<List<Object>>read("$.events[*].type")).contains("SPAWN_FAILED", "FALLBACK_RUN");
            assertThat(detail.<List<Object>>read("$.events[?(@.type == 'SPAWN_FAILED')].detail"))
                .contains("java.lang.IllegalStateException: no threads for the failing queue");
        });

        assertThat(count("lazy.workqueue.spawn.failures", "queue", "failing", "cpu", "1")).isPositive();
        assertThat(count("lazy.workqueue.fallback", "queue", "failing", "cpu", "1")).isEqualTo(5);
    }

    @Test
    void theListShowsEveryQueueWithItsSettingsAndTheFiguresOfEachCpu() {
        CountDownLatch release = new CountDownLatch(1);
        listed.executeOn(2, () -> Latches.awaitQuietly(release));
        listed.executeOn(2, () -> { });
        try {
            await().until(() -> json("/actuator/workqueues", 200).read("$.workqueues.listed.active", Integer.class) == 1);
            DocumentContext list = json("/actuator/workqueues", 200);

            Map<String, Object> workqueues = list.read("$.workqueues");
            assertThat(workqueues).containsOnlyKeys("rpciod", "pinned", "failing", "slow", "listed");
            assertThat(list.<Map<String, Object>>read("$.workqueues.listed.settings")).containsEntry("cpus", "0-2")
                .containsEntry("coreCpu", 0)
                .containsEntry("idleTimeout", "PT0.5S")
                .containsEntry("maxActive", listed.getWorkqueue().config().maxActive())
                .containsEntry("affinity", "NONE")
                .containsEntry("cpuSelection", "LOCAL")
                .containsEntry("queueCapacity", null)
                .containsEntry("rejection", "ABORT")
                .containsEntry("threadNamePrefix", "listed/")
                .containsEntry("watchdogThreshold", "PT30S")
                .containsEntry("concurrencyThreshold", "PT0.01S")
                .containsEntry("dedicated", false)
                .containsEntry("awaitTerminationPeriod", listed.getAwaitTerminationPeriod().toString());
            assertThat(list.<Map<String, Object>>read("$.workqueues.failing.settings")).containsEntry("dedicated", true);
            assertThat(list.<Map<String, Object>>read("$.workqueues.listed")).containsEntry("shutdown", false)
                .containsEntry("queued", 1)
                .containsEntry("active", 1)
                .containsKey("liveThreads")
                .doesNotContainKey("coreFailure");
            assertThat(list.<List<Map<String, Object>>>read("$.workqueues.listed.cpus")).hasSize(3)
                .allSatisfy(cpu -> assertThat(cpu).containsOnlyKeys("cpu", "state", "threads", "queued", "active"));
            assertThat(list.<Map<String, Object>>read("$.workqueues.listed.cpus[2]")).containsEntry("cpu", 2)
                .containsEntry("state", "RUNNING")
                .containsEntry("threads", 1)
                .containsEntry("queued", 1)
                .containsEntry("active", 1);
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void theListShowsEachGroupOfQueuesThatSharePoolsWithThePoolOfEachCpuAndItsMeters() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        listed.executeOn(2, () -> {
            started.countDown();
            Latches.awaitQuietly(release);
        });
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            DocumentContext list = json("/actuator/workqueues", 200);

            assertThat(list.<Map<String, Object>>read("$.pools")).containsOnlyKeys("listed,rpciod", "pinned", "failing",
                    "slow");
            assertThat(list.<List<Object>>read("$.pools['listed,rpciod'].cpus[*].cpu")).containsExactly(0, 1, 2, 3);
            assertThat(list.<List<Object>>read("$.pools.failing.cpus[*].cpu")).containsExactly(0, 1);
            Map<String, Object> cpu2 = list.read("$.pools['listed,rpciod'].cpus[2]");
            assertThat(cpu2).containsOnlyKeys("cpu", "queues", "workers", "idle", "busy", "ready", "spawned", "exits",
                    "spawnFailures");
            assertThat(list.<List<Object>>read("$.pools['listed,rpciod'].cpus[2].queues")).contains("listed");
            assertThat(list.read("$.pools['listed,rpciod'].cpus[2].busy", Integer.class)).isGreaterThanOrEqualTo(1);
            assertThat(list.read("$.pools['listed,rpciod'].cpus[2].spawned", Integer.class)).isGreaterThanOrEqualTo(1);
            assertThat(list.<Map<String, Object>>read("$.pools['listed,rpciod'].cpus[2].exits")).containsOnlyKeys("idle",
                    "shutdown", "failure");
        }
        finally {
            release.countDown();
        }
        assertThat(count("lazy.workqueue.pool.spawned", "pool", "listed,rpciod", "cpu", "2")).isGreaterThanOrEqualTo(1);
        assertThat(meters.find("lazy.workqueue.pool.spawned").functionCounters())
            .extracting(counter -> counter.getId().getTag("pool"))
            .containsOnly("listed,rpciod", "pinned", "failing", "slow")
            .filteredOn("listed,rpciod"::equals)
            .hasSize(4);
    }

    @Test
    void theDetailShowsEverySettingAndCountersOfItsOwnShape() {
        DocumentContext detail = json("/actuator/workqueues/slow", 200);

        assertThat(detail.<Map<String, Object>>read("$.settings")).containsOnlyKeys("cpus", "coreCpu", "idleTimeout",
                "maxActive", "affinity", "cpuSelection", "queueCapacity", "rejection", "threadNamePrefix",
                "watchdogThreshold", "concurrencyThreshold", "dedicated", "awaitTerminationPeriod");
        assertThat(detail.<Map<String, Object>>read("$.cpus[0].counters")).containsOnlyKeys("spawns", "idleExits",
                "shutdownExits", "failureExits", "spawnFailures", "fallbackRuns", "completed", "failed", "rejected");
        assertThat(detail.<Map<String, Object>>read("$")).containsKeys("name", "settings", "shutdown", "liveThreads",
                "scheduled", "cpus", "events");
    }

    @Test
    void anUnknownQueueIsNotFound() {
        http.get().uri("/actuator/workqueues/nosuchqueue").exchange().expectStatus().isNotFound();
    }

    @Test
    void healthHasAnUpComponentPerQueueAndEachQueueAnswersOnItsOwnPath() {
        DocumentContext health = json("/actuator/health", 200);
        assertThat(health.<Map<String, Object>>read("$.components.workqueues.components")).containsOnlyKeys("rpciod",
                "pinned", "failing", "slow", "listed");
        assertThat(health.read("$.components.workqueues.status", String.class)).isEqualTo("UP");

        DocumentContext rpciodHealth = json("/actuator/health/workqueues/rpciod", 200);
        assertThat(rpciodHealth.read("$.status", String.class)).isEqualTo("UP");
        assertThat(rpciodHealth.<Map<String, Object>>read("$.details")).containsOnlyKeys("liveThreads", "queued");
        http.get().uri("/actuator/health/workqueues/nosuchqueue").exchange().expectStatus().isNotFound();
    }

    @Test
    void aTaskThatHoldsUpQueuedWorkPastTheWatchdogThresholdTurnsItsQueueAndGroupDownUntilItFinishes() {
        CountDownLatch release = new CountDownLatch(1);
        slow.executeOn(1, () -> Latches.awaitQuietly(release));
        slow.executeOn(1, () -> { });

        await().untilAsserted(() -> {
            DocumentContext down = json("/actuator/health/workqueues/slow", 503);
            assertThat(down.read("$.status", String.class)).isEqualTo("DOWN");
            assertThat(down.read("$.details.stalled[0].cpu", Integer.class)).isEqualTo(1);
            assertThat(down.read("$.details.stalled[0].queued", Integer.class)).isEqualTo(1);
            assertThat(down.read("$.details.stalled[0].stalledSince", String.class)).isNotBlank();
            assertThat(down.read("$.details.threshold", String.class)).isEqualTo("PT0.2S");
        });
        assertThat(json("/actuator/health/slowqueue", 503).read("$.components.workqueues.components.slow.status",
                String.class)).isEqualTo("DOWN");
        DocumentContext all = json("/actuator/health", 503);
        assertThat(all.read("$.components.workqueues.status", String.class)).isEqualTo("DOWN");
        assertThat(all.read("$.components.workqueues.components.rpciod.status", String.class)).isEqualTo("UP");
        assertThat(json("/actuator/health/workqueues/rpciod", 200).read("$.status", String.class)).isEqualTo("UP");
        assertThat(json("/actuator/workqueues/slow", 200).<List<Object>>read("$.events[?(@.type == 'STALLED')].cpu"))
            .containsExactly(1);
        assertThat(json("/actuator/workqueues", 200).read("$.workqueues.slow.cpus[1].stalledSince", String.class))
            .isNotBlank();
        assertThat(gauge("lazy.workqueue.stalled", "queue", "slow", "cpu", "1")).isEqualTo(1);
        await().untilAsserted(() -> assertThat(engineLog.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage())
                .startsWith("Workqueue 'slow' stalled on CPU 1: 1 task(s) queued and none finished for PT0.");
        }));

        release.countDown();

        await().untilAsserted(() -> assertThat(json("/actuator/health/slowqueue", 200).read("$.status", String.class))
            .isEqualTo("UP"));
        assertThat(json("/actuator/health/workqueues/slow", 200).read("$.status", String.class)).isEqualTo("UP");
    }

    private DocumentContext json(String path, int expectedStatus) {
        // Not expectStatus(): it logs each mismatch at ERROR, also the ones await() retries past.
        EntityExchangeResult<String> response = http.get().uri(path).exchange().returnResult(String.class);
        assertThat(response.getStatus().value()).as("status of GET %s", path).isEqualTo(expectedStatus);
        return JsonPath.parse(response.getResponseBody());
    }

    /** The count of the one function counter of that name and those tags (all of them, in pairs). */
    private double count(String name, String... tags) {
        return meters.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    /** How many tasks the one timer of that name and those tags has timed. */
    private long timed(String name, String... tags) {
        return meters.get(name).tags(tags).timer().count();
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
