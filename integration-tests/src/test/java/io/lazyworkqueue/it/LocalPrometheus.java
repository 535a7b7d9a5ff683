package io.lazyworkqueue.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** A Prometheus server run from the local binary, on 127.0.0.1 and a free port, storing into a temporary directory. */
final class LocalPrometheus implements AutoCloseable {

    private final Process process;

    private final int port;

    private LocalPrometheus(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static LocalPrometheus start(Path workDir, Path config) {
        int port = Ports.free();
        Path log = workDir.resolve("prometheus.log");
        Process process;
        try {
            Path data = Files.createDirectories(workDir.resolve("prometheus-data"));
            process = new ProcessBuilder(List.of(Settings.prometheusBinary().toString(),
                    "--config.file=" + config, "--storage.tsdb.path=" + data,
                    "--web.listen-address=127.0.0.1:" + port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        LocalPrometheus prometheus = new LocalPrometheus(process, port);
        try {
            await("Prometheus on port " + port + " (log: " + log + ")").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Prometheus exited with " + process.exitValue() + "; see " + log);
                    }
                    return Http.answers(prometheus.url() + "/-/ready");
                });
        }
        catch (RuntimeException | Error ex) {
            prometheus.close();
            throw ex;
        }
        return prometheus;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
