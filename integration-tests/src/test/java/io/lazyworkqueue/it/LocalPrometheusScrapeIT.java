package io.lazyworkqueue.it;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Debian's Prometheus, run as a process, scrapes the sample application run as a process. */
@RequiresLocalPrometheus
class LocalPrometheusScrapeIT {

    @Test
    void prometheusShowsTheWorkloadAndAnswersEveryDashboardQuery() {
        Path workDir = Settings.workDir("local-prometheus");
        try (SampleAppProcess app = SampleAppProcess.start(workDir);
                LocalPrometheus server = LocalPrometheus.start(workDir, PrometheusConfig.write(workDir, app.port()))) {
            ScrapeCheck check = new ScrapeCheck(new PrometheusApi(server.url()), app);
            check.awaitFirstScrape();

            check.postWorkload();

            check.assertSeriesShowTheWorkload();
            check.assertEveryDashboardQueryAnswers();
        }
    }
}
