package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.PoolStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which queues share pools, told from their settings, and where each pool of a group is read. */
class PoolGroupTests {

    private final List<LazyWorkqueue> built = new ArrayList<>();

    @AfterEach
    void close() {
        built.forEach(LazyWorkqueue::close);
    }

    @Test
    void queuesOfTheSameThreadSettingsFormOneGroupNamedAfterThemInOrder() {
        build("rpciod", "0-1", UnaryOperator.identity());
        build("blocking-io", "2-3", UnaryOperator.identity());

        assertThat(PoolGroup.of(built)).singleElement().satisfies(group -> {
            assertThat(group.name()).isEqualTo("blocking-io,rpciod");
            assertThat(group.queues()).containsExactly("blocking-io", "rpciod");
            assertThat(group.cpus()).isEqualTo(CpuSet.parse("0-3"));
        });
    }

    @Test
    void eachThreadSettingThatDiffersMakesAGroupOfItsOwn() {
        build("shared", "0-1", UnaryOperator.identity());
        build("affinity", "0-1", builder -> builder.affinity(AffinityMode.STRICT).cpus(CpuSet.of(CpuSet.allowed().first())));
        build("idle", "0-1", builder -> builder.idleTimeout(Duration.ofSeconds(3)));
        build("retry", "0-1", builder -> builder.spawnRetryDelay(Duration.ofSeconds(3)));
        build("threshold", "0-1", builder -> builder.concurrencyThreshold(Duration.ofMillis(3)));
        build("alone", "0-1", builder -> builder.dedicated(true));
        build("also-alone", "0-1", builder -> builder.dedicated(true));
        build("also-shared", "0-1", builder -> builder.maxActive(4).threadNamePrefix("other-"));

        assertThat(PoolGroup.of(built)).extracting(PoolGroup::name).containsExactly("also-shared,shared", "affinity",
                "idle", "retry", "threshold", "alone", "also-alone");
    }

    @Test
    void eachCpuIsReadFromAQueueOfTheGroupThatHasIt() throws InterruptedException {
        LazyWorkqueue low = build("low", "0-1", UnaryOperator.identity());
        LazyWorkqueue high = build("high", "2-3", UnaryOperator.identity());
        low.executeOn(1, () -> { });
        high.executeOn(3, () -> { });
        low.flush();
        high.flush();
        PoolGroup group = PoolGroup.of(built).get(0);

        assertThat(group.stats()).extracting(PoolStats::cpu).containsExactly(0, 1, 2, 3);
        assertThat(group.stats(1).spawned()).isGreaterThanOrEqualTo(1);
        assertThat(group.stats(3).spawned()).isGreaterThanOrEqualTo(1);
        assertThat(group.stats(1).queues()).contains("low");
        assertThat(group.stats(3).queues()).contains("high");
        assertThatIllegalArgumentException().isThrownBy(() -> group.stats(4))
            .withMessage("CPU 4 is not one of the CPUs 0-3 of pool group high,low");
    }

    private LazyWorkqueue build(String name, String cpus, UnaryOperator<LazyWorkqueue.Builder> settings) {
        LazyWorkqueue workqueue = settings
            .apply(LazyWorkqueue.builder(name).cpus(cpus).affinity(AffinityMode.NONE).idleTimeout(Duration.ofMinutes(1)))
            .build();
        built.add(workqueue);
        return workqueue;
    }
}
