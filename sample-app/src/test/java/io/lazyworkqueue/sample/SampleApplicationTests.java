package io.lazyworkqueue.sample;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sample over HTTP, as the README's quick start drives it. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "lazy-workqueue.queues.percpu.idle-timeout=500ms")
@AutoConfigureRestTestClient
class SampleApplicationTests {

    private static final List<String> QUEUES = List.of("percpu", "blocking-io", "ordered");

    @Autowired
    private RestTestClient http;

    @Test
    void workPostedForACpuStartsAWorkerThereThatLeavesAfterTheIdleTimeout() {
        // The tests share the application: another one may have run @Async work on CPU 0 already.
        int before = JsonPath.read(get("/actuator/workqueues/percpu"), "$.cpus[0].counters.completed");
        EntityExchangeResult<String> posted = post("/work?queue=percpu&tasks=20&cpu=0&millis=1");

        assertThat(posted.getStatus().value()).isEqualTo(200);
        assertThat(JsonPath.<Integer>read(posted.getResponseBody(), "$.queued")).isEqualTo(20);
        await().untilAsserted(() -> assertThat(JsonPath.<Integer>read(get("/actuator/workqueues/percpu"),
                "$.cpus[0].counters.completed")).isEqualTo(before + 20));
        await().untilAsserted(() -> {
            String detail = get("/actuator/workqueues/percpu");
            assertThat(JsonPath.<List<Object>>read(detail, "$.cpus[0].threads")).isEmpty();
            assertThat(JsonPath.<List<String>>read(detail, "$.events[?(@.cpu == 0)].type")).contains("IDLE_EXIT");
        });
    }

    @Test
    void eachQueueTakesItsKindOfWork() {
        Map<String, Long> before = new HashMap<>();
        for (String queue : QUEUES) {
            before.put(queue, completed(queue));
        }
        for (String queue : QUEUES) {
            assertThat(post("/work?queue=" + queue + "&tasks=10&millis=1").getStatus().value()).isEqualTo(200);
        }

        await().untilAsserted(() -> {
            String list = get("/actuator/workqueues");
            for (String queue : QUEUES) {
                assertThat(completed(queue)).as("tasks completed by %s", queue).isEqualTo(before.get(queue) + 10);
                String path = "$.workqueues['" + queue + "']";
                assertThat(JsonPath.<Integer>read(list, path + ".queued")).isZero();
                assertThat(JsonPath.<Integer>read(list, path + ".active")).isZero();
            }
        });
        String scrape = get("/actuator/prometheus");
        assertThat(scrape).contains("lazy_workqueue_completed_tasks_total{application=\"lazy-workqueue-sample\"")
            .contains("lazy_workqueue_task_wait_seconds_bucket{");
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        EntityExchangeResult<String> unknownQueue = post("/work?queue=nope");
        EntityExchangeResult<String> unknownCpu = post("/work?queue=percpu&cpu=4096");
        EntityExchangeResult<String> tooMany = post("/work?tasks=0");

        assertThat(unknownQueue.getStatus().value()).isEqualTo(400);
        assertThat(JsonPath.<String>read(unknownQueue.getResponseBody(), "$.error"))
            .isEqualTo("No workqueue named 'nope'; the workqueues are [percpu, blocking-io, ordered]");
        assertThat(unknownCpu.getStatus().value()).isEqualTo(400);
        assertThat(JsonPath.<String>read(unknownCpu.getResponseBody(), "$.error")).startsWith("cpu 4096 is not one of the CPUs of workqueue 'percpu'");
        assertThat(tooMany.getStatus().value()).isEqualTo(400);
        assertThat(JsonPath.<String>read(tooMany.getResponseBody(), "$.error")).isEqualTo("tasks must be from 1 to 100000, was 0");
    }

    /** @return the tasks the queue has completed, over all its CPUs */
    private long completed(String queue) {
        return JsonPath.<List<Number>>read(get("/actuator/workqueues/" + queue), "$.cpus[*].counters.completed")
            .stream().mapToLong(Number::longValue).sum();
    }

    private EntityExchangeResult<String> post(String path) {
        return http.post().uri(path).exchange().returnResult(String.class);
    }

    private String get(String path) {
        return http.get().uri(path).exchange().expectStatus().isOk().returnResult(String.class).getResponseBody();
    }
}
