package io.lazyworkqueue.it;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import static org.awaitility.Awaitility.await;

/**
 * Prometheus in a container (image {@code lazyworkqueue.image.prometheus}, host networking) scrapes the
 * sample application run as a process on the host.
 */
@RequiresDocker
class PrometheusContainerScrapeIT {

    @Test
    void prometheusInAContainerShowsTheWorkloadAndAnswersEveryDashboardQuery() {
        Path workDir = Settings.workDir("prometheus-container");
        int port = Ports.free();
        try (SampleAppProcess app = SampleAppProcess.start(workDir);
                GenericContainer<?> server = prometheus(PrometheusConfig.write(workDir, app.port()), port)) {
            server.start();
            PrometheusApi api = new PrometheusApi("http://127.0.0.1:" + port);
            await("Prometheus in a container on port " + port).atMost(Duration.ofSeconds(30))
                .until(() -> Http.answers("http://127.0.0.1:" + port + "/-/ready"));
            ScrapeCheck check = new ScrapeCheck(api, app);
            check.awaitFirstScrape();

            check.postWorkload();

            check.assertSeriesShowTheWorkload();
            check.assertEveryDashboardQueryAnswers();
        }
    }

    @SuppressWarnings("resource")
    private static GenericContainer<?> prometheus(Path config, int port) {
        // The official image and CI's local one both have /bin/prometheus and a writable /prometheus.
        return new GenericContainer<>(DockerImageName.parse(Settings.prometheusImage()))
            .withNetworkMode("host")
            .withCopyFileToContainer(MountableFile.forHostPath(config, 0644), "/etc/prometheus/prometheus.yml")
            .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/prometheus"))
            .withCommand("--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus",
                    "--web.listen-address=127.0.0.1:" + port)
            .waitingFor(Wait.forLogMessage("(?s).*Server is ready to receive web requests.*", 1)
                .withStartupTimeout(Duration.ofMinutes(1)));
    }
}
