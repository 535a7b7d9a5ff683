package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.InvalidWorkqueueSettingException;
import io.lazyworkqueue.RejectionPolicy;
import io.lazyworkqueue.WorkqueueConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LazyWorkqueueTaskExecutorBuilderTests {

    private final LazyWorkqueueTaskExecutorBuilder unpinned = new LazyWorkqueueTaskExecutorBuilder().cpus("0-1")
        .affinity(AffinityMode.NONE);

    @Test
    void eachSettingReturnsANewBuilderAndLeavesTheOriginalAsItWas() {
        LazyWorkqueueTaskExecutorBuilder original = unpinned;
        LazyWorkqueueTaskExecutorBuilder changed = original.maxActive(3)
            .awaitTerminationPeriod(Duration.ofSeconds(5))
            .acceptTasksAfterContextClose(true)
            .additionalCustomizers((name, builder) -> builder.eventHistory(3));

        assertThat(changed).isNotSameAs(original);
        LazyWorkqueueTaskExecutor fromOriginal = original.build("original");
        LazyWorkqueueTaskExecutor fromChanged = changed.build("changed");
        try {
            assertThat(fromOriginal.getWorkqueue().config().maxActive()).isEqualTo(16);
            assertThat(fromOriginal.getWorkqueue().config().eventHistory()).isEqualTo(256);
            assertThat(fromOriginal.getAwaitTerminationPeriod()).isEqualTo(Duration.ofSeconds(30));
            assertThat(fromChanged.getWorkqueue().config().maxActive()).isEqualTo(3);
            assertThat(fromChanged.getWorkqueue().config().eventHistory()).isEqualTo(3);
            assertThat(fromChanged.getAwaitTerminationPeriod()).isEqualTo(Duration.ofSeconds(5));
        }
        finally {
            fromOriginal.shutdown();
            fromChanged.shutdown();
        }
    }

    @Test
    void aBuiltQueueHasEverySettingOfTheBuilder() {
        LazyWorkqueueTaskExecutor executor = unpinned.coreCpu(1)
            .idleTimeout(Duration.ofSeconds(3))
            .maxActive(2)
            .cpuSelection(CpuSelection.ROUND_ROBIN)
            .queueCapacity(64)
            .rejection(RejectionPolicy.CALLER_RUNS)
            .threadNamePrefix("built-")
            .watchdogThreshold(Duration.ZERO)
            .concurrencyThreshold(Duration.ofMillis(3))
            .dedicated(true)
            .eventHistory(16)
            .build("settings");
        try {
            WorkqueueConfig config = executor.getWorkqueue().config();
            assertThat(config.name()).isEqualTo("settings");
            assertThat(config.cpus()).isEqualTo(CpuSet.parse("0-1"));
            assertThat(config.coreCpu()).isEqualTo(1);
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.maxActive()).isEqualTo(2);
            assertThat(config.affinity()).isEqualTo(AffinityMode.NONE);
            assertThat(config.cpuSelection()).isEqualTo(CpuSelection.ROUND_ROBIN);
            assertThat(config.queueCapacity()).isEqualTo(64);
            assertThat(config.rejection()).isEqualTo(RejectionPolicy.CALLER_RUNS);
            assertThat(config.threadNamePrefix()).isEqualTo("built-");
            assertThat(config.watchdogThreshold()).isEqualTo(Duration.ZERO);
            assertThat(config.concurrencyThreshold()).isEqualTo(Duration.ofMillis(3));
            assertThat(config.dedicated()).isTrue();
            assertThat(config.eventHistory()).isEqualTo(16);
        }
        finally {
            executor.shutdown();
        }
    }

    @Test
    void aLaterValueOfASettingReplacesTheEarlierOne() {
        LazyWorkqueueTaskExecutor executor = unpinned.maxActive(4).maxActive(2).cpus("0").build("replaced");
        try {
            assertThat(executor.getWorkqueue().config().maxActive()).isEqualTo(2);
            assertThat(executor.getWorkqueue().config().cpus()).isEqualTo(CpuSet.parse("0"));
        }
        finally {
            executor.shutdown();
        }
    }

    @Test
    void customizersSeeTheQueueNameAfterTheSettingsAndReplaceOrAddAsAsked() {
        List<String> seen = new CopyOnWriteArrayList<>();
        LazyWorkqueueBuilderCustomizer replaced = (name, builder) -> seen.add("replaced");
        LazyWorkqueueBuilderCustomizer first = (name, builder) -> {
            seen.add("first " + name);
            builder.threadNamePrefix("first-");
        };
        LazyWorkqueueBuilderCustomizer second = (name, builder) -> seen.add("second " + name);

        LazyWorkqueueTaskExecutor executor = unpinned.threadNamePrefix("setting-")
            .customizers(replaced)
            .customizers(first)
            .additionalCustomizers(List.of(second))
            .build("custom");
        try {
            assertThat(seen).containsExactly("first custom", "second custom");
            assertThat(executor.getWorkqueue().config().threadNamePrefix()).isEqualTo("first-");
        }
        finally {
            executor.shutdown();
        }
    }

    @Test
    void aBuiltQueueRunsItsTasksThroughTheTaskDecorator() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        LazyWorkqueueTaskExecutor executor = unpinned.taskDecorator(task -> () -> {
            seen.add(Thread.currentThread().getName());
            task.run();
        }).build("decorated");
        try {
            CompletableFuture.runAsync(() -> { }, executor).get(10, TimeUnit.SECONDS);
            assertThat(seen).singleElement().asString().startsWith("decorated/");
        }
        finally {
            executor.shutdown();
        }
    }

    @Test
    void anInvalidSettingIsReportedWhenTheQueueIsBuilt() {
        LazyWorkqueueTaskExecutorBuilder invalid = unpinned.maxActive(0);

        assertThatExceptionOfType(InvalidWorkqueueSettingException.class).isThrownBy(() -> invalid.build("invalid"))
            .satisfies(ex -> assertThat(ex.getSetting()).isEqualTo("maxActive"));
    }

    @Test
    void aNegativeAwaitPeriodIsRefusedAtOnce() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> unpinned.awaitTerminationPeriod(Duration.ofMillis(-1)))
            .withMessage("The await termination period must not be negative, was PT-0.001S");
    }
}
