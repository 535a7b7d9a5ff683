package io.lazyworkqueue.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** The sample application's jar run as a process of its own on 127.0.0.1 and a free port. */
final class SampleAppProcess implements AutoCloseable {

    private final Process process;

    private final int port;

    private final Path log;

    private SampleAppProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static SampleAppProcess start(Path workDir) {
        return start(workDir, List.of());
    }

    /** Starts the jar with these JVM options (system properties, say) before {@code -jar}. */
    static SampleAppProcess start(Path workDir, List<String> jvmOptions) {
        int port = Ports.free();
        Path log = workDir.resolve("sample-app.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Settings.sampleAppJar().toString(), "--server.address=127.0.0.1",
                "--server.port=" + port));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        SampleAppProcess app = new SampleAppProcess(process, port, log);
        try {
            await("the sample application on port " + port + " (log: " + log + ")").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the sample application exited with " + process.exitValue()
                                + "; see " + log);
                    }
                    return Http.answers(app.url("/actuator/health"));
                });
        }
        catch (RuntimeException | Error ex) {
            app.close();
            throw ex;
        }
        return app;
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** What the application has printed so far. */
    String output() {
        try {
            return Files.readString(log);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        Processes.stop(process);
    }

    @Override
    public String toString() {
        return "sample application on port " + port + " (log: " + log + ")";
    }
}
