package io.lazyworkqueue.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find their inputs; the build sets these system properties (see the module's pom). */
final class Settings {

    private Settings() {
    }

    static Path sampleAppJar() {
        Path jar = Path.of(System.getProperty("lazyworkqueue.sample-app.jar",
                "../sample-app/target/lazy-workqueue-sample-app.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The sample application's jar " + jar.toAbsolutePath()
                    + " is missing; build it first (mvn -B verify from the project's root directory)");
        }
        return jar.toAbsolutePath();
    }

    static Path dashboard() {
        return Path.of(System.getProperty("lazyworkqueue.dashboard", "../grafana/lazy-workqueue-dashboard.json"))
            .toAbsolutePath();
    }

    /** A new directory for one test's files (logs, configuration, data), under target/it-work. */
    static Path workDir(String name) {
        Path dir = Path.of(System.getProperty("lazyworkqueue.work-dir", "target/it-work"), name).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            return Files.createTempDirectory(dir, "run-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String jreImage() {
        return System.getProperty("lazyworkqueue.image.jre", "eclipse-temurin:17-jre");
    }

    static String prometheusImage() {
        return System.getProperty("lazyworkqueue.image.prometheus", "prom/prometheus:v2.42.0");
    }

    static Path prometheusBinary() {
        return Path.of(System.getProperty("lazyworkqueue.prometheus.binary", "/usr/bin/prometheus"));
    }

    static boolean requireDocker() {
        return Boolean.getBoolean("lazyworkqueue.require-docker");
    }

    static boolean requirePrometheus() {
        return Boolean.getBoolean("lazyworkqueue.require-prometheus");
    }
}
