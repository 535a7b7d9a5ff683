package io.lazyworkqueue.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import com.github.dockerjava.api.model.HostConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import static org.awaitility.Awaitility.await;

/**
 * The sample application's jar run with {@code java -jar} in a container of image
 * {@code lazyworkqueue.image.jre}, on the host's network and a port chosen here, with CPU limits.
 */
final class SampleAppContainer implements AutoCloseable {

    private final GenericContainer<?> container;

    private final int port;

    private final Path log;

    private SampleAppContainer(GenericContainer<?> container, int port, Path log) {
        this.container = container;
        this.port = port;
        this.log = log;
    }

    /** Starts the container, waits for the start-up log line, then for the port to answer. */
    @SuppressWarnings("resource")
    static SampleAppContainer start(Path workDir, Consumer<HostConfig> cpuLimits) {
        int port = Ports.free();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(Settings.jreImage()))
            .withNetworkMode("host")
            .withCopyFileToContainer(MountableFile.forHostPath(Settings.sampleAppJar(), 0644), "/app/sample-app.jar")
            .withCreateContainerCmdModifier(cmd -> {
                cmd.withEntrypoint("java");
                cpuLimits.accept(cmd.getHostConfig());
            })
            .withCommand("-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", "/app/sample-app.jar",
                    "--server.address=127.0.0.1", "--server.port=" + port)
            .waitingFor(Wait.forLogMessage("(?s).*Started SampleApplication.*", 1)
                .withStartupTimeout(Duration.ofMinutes(3)));
        SampleAppContainer app = new SampleAppContainer(container, port, workDir.resolve("sample-app-container.log"));
        try {
            container.start();
            await("the sample application in a container on port " + port).atMost(Duration.ofSeconds(30))
                .until(() -> Http.answers(app.url("/actuator/health")));
        }
        catch (RuntimeException | Error ex) {
            app.close();
            throw ex;
        }
        return app;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Keeps the container's log next to the test's other files, then stops and removes the container. */
    @Override
    public void close() {
        try {
            if (container.getContainerId() != null) {
                Files.writeString(log, container.getLogs());
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (RuntimeException ex) {
            // The container may be gone already; there is no log to keep then.
        }
        finally {
            container.stop();
        }
    }
}
