package io.lazyworkqueue.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.LazyWorkqueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EngineV1Tests {

    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(50);

    @Test
    void withoutTheJarItSaysWhichPropertyIsMissingAndHowToBuildTheJar() {
        assertThat(EngineV1.unavailable(null)).hasValueSatisfying(why -> assertThat(why)
                .contains("-Dlazyworkqueue.engine-v1.jar")
                .contains("benchmarks/engine-v1.sh")
                .contains("benchmarks/run.sh"));
    }

    @Test
    void aJarThatDoesNotExistIsUnavailableAndAnExistingOneIsNot(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("engine-v1.jar"));
        assertThat(EngineV1.unavailable(dir.resolve("missing.jar").toString()))
                .hasValueSatisfying(why -> assertThat(why).contains("missing.jar does not exist")
                        .contains("benchmarks/engine-v1.sh"));
        assertThat(EngineV1.unavailable(jar.toString())).isEmpty();
    }

    @Test
    void theV1WorkqueueIsTheJarsEngineNotTheOneOnTheClassPath() throws InterruptedException {
        assumeJarIsSet();
        WorkqueueV1 workqueue = EngineV1.load().open("v1-test", PeerSettings.cpuCount(2, IDLE_TIMEOUT));
        ExecutorService executor = workqueue.executor();
        try {
            assertThat(executor.getClass().getName()).isEqualTo(LazyWorkqueue.class.getName());
            assertThat(executor.getClass()).isNotSameAs(LazyWorkqueue.class);
            assertThat(executor.getClass().getClassLoader()).isInstanceOf(EngineV1ClassLoader.class);
        }
        finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theV1PeerRunsTasksOnEachCpuAndItsWorkersRetireWhenIdle() throws InterruptedException {
        assumeJarIsSet();
        PeerSettings settings = PeerSettings.cpuCount(2, IDLE_TIMEOUT);
        WorkqueueV1 workqueue = EngineV1.load().open("v1-test", settings);
        try {
            Set<String> ranOn = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(3);
            for (int i = 0; i < settings.cpus().size(); i++) {
                workqueue.executeOn(settings.cpus().get(i), () -> {
                    ranOn.add(Thread.currentThread().getName());
                    done.countDown();
                });
            }
            workqueue.executor().execute(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ranOn).hasSize(2).allSatisfy(name -> assertThat(name).startsWith("v1-test/"));
            await().atMost(Duration.ofSeconds(10)).until(workqueue::hasNoWorker);
        }
        finally {
            workqueue.executor().shutdown();
            assertThat(workqueue.executor().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void flushReturnsOnceEveryTaskQueuedBeforeItHasRun() throws InterruptedException {
        assumeJarIsSet();
        WorkqueueV1 workqueue = EngineV1.load().open("v1-test", PeerSettings.cpuCount(2, IDLE_TIMEOUT),
                CpuSelection.ROUND_ROBIN);
        try {
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 100; i++) {
                workqueue.executor().execute(ran::incrementAndGet);
            }
            workqueue.flush();
            assertThat(ran).hasValue(100);
        }
        finally {
            workqueue.executor().shutdown();
            assertThat(workqueue.executor().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theLazyV1PeerRunsTasksThroughExecuteAndExecuteOn() throws InterruptedException {
        assumeJarIsSet();
        PeerSettings settings = PeerSettings.cpuCount(2, PeerSettings.DEFAULT_IDLE_TIMEOUT);
        try (PeerExecutor peer = Peer.LAZY_V1.open(settings)) {
            CountDownLatch done = new CountDownLatch(2);
            peer.execute(done::countDown);
            peer.executeOn(settings.cpus().last(), done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void assumeJarIsSet() {
        assumeTrue(EngineV1.unavailable().isEmpty(), () -> "the v1 engine's tests need its jar; "
                + EngineV1.unavailable().orElse(""));
    }
}
