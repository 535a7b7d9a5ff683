package io.lazyworkqueue.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Prometheus configuration that scrapes the sample application every second. */
final class PrometheusConfig {

    static final String JOB = "lazy-workqueue-sample";

    private PrometheusConfig() {
    }

    /** Writes prometheus.yml into the directory and returns its path. */
    static Path write(Path dir, int appPort) {
        String yaml = """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: %s
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(JOB, appPort);
        try {
            return Files.writeString(dir.resolve("prometheus.yml"), yaml);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
