package io.lazyworkqueue.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.LazyWorkqueue;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LazyWorkqueueTaskExecutorTests {

    @Test
    void aTaskForAFullQueueIsRejectedWithTheWorkqueuesReason() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        LazyWorkqueue workqueue = LazyWorkqueue.builder("full").cpus("0").affinity(AffinityMode.NONE).queueCapacity(1)
            .build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, null, Duration.ofSeconds(10));
        executor.executeOn(0, () -> {
            started.countDown();
            Latches.awaitQuietly(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        executor.executeOn(0, () -> { });

        assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> executor.executeOn(0, () -> { }))
            .withMessage("Workqueue 'full' rejected a task: the queue of CPU 0 is full (queue capacity 1)");
        release.countDown();
        executor.destroy();
        assertThat(workqueue.isTerminated()).isTrue();
    }

    @Test
    void tasksQueuedOnANamedCpuPassThroughTheDecoratorToo() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TaskDecorator decorator = task -> () -> {
            seen.add(Thread.currentThread().getName());
            task.run();
        };
        LazyWorkqueue workqueue = LazyWorkqueue.builder("decorated").cpus("0-3").affinity(AffinityMode.NONE).build();
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutor(workqueue, decorator, Duration.ofSeconds(10));

        CompletableFuture.runAsync(() -> { }, task -> executor.executeOn(3, task)).get(10, TimeUnit.SECONDS);
        executor.submit(() -> { }).get(10, TimeUnit.SECONDS);

        assertThat(seen).hasSize(2).first().isEqualTo("decorated/3:0");
        executor.destroy();
    }
}
