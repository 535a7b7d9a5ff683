package io.lazyworkqueue.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application's jar, processed ahead of time by the build ({@code spring-boot:process-aot}), started
 * from the generated code with {@code -Dspring.aot.enabled=true}: the queues work as they do without AOT.
 */
class AotModeIT {

    private static final Map<String, Integer> TASKS = Map.of("percpu", 30, "blocking-io", 8, "ordered", 5);

    private static final Pattern COMPLETED = Pattern.compile(
            "^lazy_workqueue_completed_tasks_total\\{[^}]*queue=\"([^\"]+)\"[^}]*} ([0-9.Ee+-]+)$", Pattern.MULTILINE);

    @Test
    void theAotProcessedSampleStartsFromGeneratedCodeAndItsQueuesRunTasks() {
        try (SampleAppProcess app = SampleAppProcess.start(Settings.workDir("aot-mode"),
                List.of("-Dspring.aot.enabled=true"))) {
            assertThat(app.output()).as("the log of %s", app).contains("Starting AOT-processed SampleApplication");

            TASKS.forEach((queue, tasks) -> Http.post(app.url("/work?queue=" + queue + "&tasks=" + tasks)));

            await("every task completed in " + app).atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completedTasks(Http.get(app.url("/actuator/prometheus"))))
                    .containsExactlyInAnyOrderEntriesOf(TASKS));
            assertThat(Http.get(app.url("/actuator/workqueues"))).contains("\"percpu\"", "\"blocking-io\"",
                    "\"ordered\"", "\"pools\"", "\"ordered,percpu\"");
        }
    }

    /** Tasks completed per queue, summed over CPUs, from a Prometheus scrape. */
    private static Map<String, Integer> completedTasks(String scrape) {
        Map<String, Integer> completed = new HashMap<>();
        Matcher matcher = COMPLETED.matcher(scrape);
        while (matcher.find()) {
            completed.merge(matcher.group(1), (int) Double.parseDouble(matcher.group(2)), Integer::sum);
        }
        return completed;
    }
}
