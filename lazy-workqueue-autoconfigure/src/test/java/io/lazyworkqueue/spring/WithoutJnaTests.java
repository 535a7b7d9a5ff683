package io.lazyworkqueue.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import io.lazyworkqueue.EngineLog;
import io.lazyworkqueue.WorkqueueEvent;
import io.lazyworkqueue.WorkqueueEventType;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueAutoConfiguration;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueTaskExecutorBuilderAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs in its own test execution whose classpath lacks JNA, as an application's does when the
 * user excludes it.
 */
class WithoutJnaTests {

    @RegisterExtension
    final EngineLog log = new EngineLog();

    @Test
    void queuesStillRunTheirWorkUnpinnedWithOneWarning() {
        assertThatExceptionOfType(ClassNotFoundException.class).as("JNA must be missing in this test execution")
            .isThrownBy(() -> Class.forName("com.sun.jna.Native"));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations
            .of(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class, LazyWorkqueueAutoConfiguration.class))
            .withPropertyValues("lazy-workqueue.queues.first.max-active=1", "lazy-workqueue.queues.second.max-active=1")
            .run(context -> {
                for (String name : new String[] { "first", "second" }) {
                    LazyWorkqueueTaskExecutor executor = context.getBean(name, LazyWorkqueueTaskExecutor.class);
                    CompletableFuture.runAsync(() -> { }, executor).get(10, TimeUnit.SECONDS);

                    assertThat(executor.getWorkqueue().snapshot().cpus())
                        .flatMap(cpu -> cpu.threads())
                        .allSatisfy(thread -> assertThat(thread.pinnedCpu()).isNull());
                    assertThat(executor.getWorkqueue().snapshot().recentEvents())
                        .filteredOn(event -> event.type() == WorkqueueEventType.PIN_FAILED)
                        .extracting(WorkqueueEvent::detail)
                        .containsOnly("JNA (net.java.dev.jna:jna) is not on the classpath");
                }
            });

        assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage())
                .isEqualTo("Workqueue threads run unpinned: JNA (net.java.dev.jna:jna) is not on the classpath");
        });
    }
}
