package io.lazyworkqueue.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.lazyworkqueue.CpuSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application in a container limited to fewer CPUs, two ways: a CPU set ({@code --cpuset-cpus}),
 * which changes the CPUs the process may run on, and a CPU quota ({@code --cpus}), which does not.
 */
@RequiresDocker
class CpuLimitedContainerIT {

    private static final String PERCPU = "/actuator/workqueues/percpu";

    private static final long ONE_CPU_OF_QUOTA = 1_000_000_000L;

    @Test
    void aContainerGivenOnlyTheLastCpuSeesThatCpuAloneAndRunsItsWorkOnAWorkerPinnedThere() {
        int last = CpuSet.allowed().last();
        Path workDir = Settings.workDir("cpuset");
        try (SampleAppContainer app = SampleAppContainer.start(workDir,
                host -> host.withCpusetCpus(String.valueOf(last)))) {
            String before = Http.get(app.url(PERCPU));
            assertThat(JsonPath.<String>read(before, "$.settings.cpus")).isEqualTo(String.valueOf(last));
            assertThat(JsonPath.<List<Integer>>read(before, "$.cpus[*].cpu")).containsExactly(last);
            assertThat(JsonPath.<Integer>read(before, "$.settings.coreCpu")).isEqualTo(last);
            assertThat(availableProcessors(app)).isEqualTo(1);

            // Through @Async, on the caller's CPU, and straight to the CPU.
            Http.post(app.url("/work?queue=percpu&tasks=20&millis=50"));
            Http.post(app.url("/work?queue=percpu&tasks=20&cpu=" + last + "&millis=50"));

            await("a worker pinned to CPU " + last).atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    JsonPath.<List<Object>>read(Http.get(app.url(PERCPU)), "$.cpus[*].threads[*].pinnedCpu"))
                .isNotEmpty().containsOnly(last));
            await("the 40 tasks completed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    JsonPath.<Integer>read(Http.get(app.url(PERCPU)), "$.cpus[0].counters.completed")).isEqualTo(40));
            System.out.println("Observed with --cpuset-cpus=" + last + ": settings.cpus=" + last
                    + ", availableProcessors=1, every worker's pinnedCpu=" + last);
        }
    }

    @Test
    void aContainerWithAQuotaOfOneCpuStillSeesEveryCpuAndPinsAWorkerOnlyToEachCpuThatGetsWork() {
        CpuSet cpus = CpuSet.allowed();
        int first = cpus.first();
        int last = cpus.last();
        Path workDir = Settings.workDir("cpu-quota");
        try (SampleAppContainer app = SampleAppContainer.start(workDir, host -> host.withNanoCPUs(ONE_CPU_OF_QUOTA))) {
            String before = Http.get(app.url(PERCPU));
            assertThat(CpuSet.parse(JsonPath.read(before, "$.settings.cpus"))).isEqualTo(cpus);
            assertThat(JsonPath.<List<Integer>>read(before, "$.cpus[*].cpu"))
                .containsExactlyElementsOf(cpus.stream().boxed().toList());
            // The JVM sizes itself by the quota; the starter goes by the CPUs the process may run on.
            assertThat(availableProcessors(app)).isEqualTo(1);

            Http.post(app.url("/work?queue=percpu&tasks=20&cpu=" + last + "&millis=50"));

            await("a worker pinned to CPU " + last).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String detail = Http.get(app.url(PERCPU));
                assertThat(pinnedCpus(detail, last)).isNotEmpty().containsOnly(last);
                for (int cpu : cpus.stream().filter(other -> other != last).toArray()) {
                    assertThat(pinnedCpus(detail, cpu)).as("threads of CPU %d, which got no work", cpu).isEmpty();
                }
            });
            if (first != last) {
                Http.post(app.url("/work?queue=percpu&tasks=20&cpu=" + first + "&millis=50"));
                await("a worker pinned to CPU " + first).atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        pinnedCpus(Http.get(app.url(PERCPU)), first)).isNotEmpty().containsOnly(first));
            }
            await("the tasks completed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String detail = Http.get(app.url(PERCPU));
                assertThat(JsonPath.<List<Integer>>read(detail, "$.cpus[?(@.cpu == " + last + ")].counters.completed"))
                    .containsExactly(20);
                assertThat(JsonPath.<List<Integer>>read(detail, "$.cpus[?(@.cpu == " + first + ")].counters.completed"))
                    .containsExactly(first != last ? 20 : 40);
            });
            System.out.println("Observed with --cpus=1: settings.cpus=" + JsonPath.read(before, "$.settings.cpus")
                    + ", availableProcessors=1, workers pinned to the CPUs that got work (" + first + " and " + last + ")");
        }
    }

    private static List<Object> pinnedCpus(String detail, int cpu) {
        return JsonPath.read(detail, "$.cpus[?(@.cpu == " + cpu + ")].threads[*].pinnedCpu");
    }

    /** What Runtime.availableProcessors() says inside the container, as Micrometer's system.cpu.count. */
    private static int availableProcessors(SampleAppContainer app) {
        List<Double> values = JsonPath.read(Http.get(app.url("/actuator/metrics/system.cpu.count")),
                "$.measurements[*].value");
        return values.get(0).intValue();
    }
}
