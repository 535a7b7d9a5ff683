package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A workqueue's own threads never wait for what only those threads can do. */
class OwnThreadSubmissionTests {

    @Test
    void aWorkerThatMeetsItsOwnFullQueueUnderBlockIsRefusedInsteadOfWaitingForever() throws Exception {
        try (LazyWorkqueue workqueue = bounded("self-blocking").build()) {
            assertThat(fillOwnQueueFromATask(workqueue)).isInstanceOf(RejectedExecutionException.class)
                .hasMessage("Workqueue 'self-blocking' rejected a task: the queue of CPU 0 is full (queue capacity 1) and"
                        + " the submitter is a thread of the workqueue itself, which does not wait for room that only"
                        + " the workqueue's threads can make");
            assertThat(workqueue.snapshot(0).counters().rejected()).isEqualTo(1);
        }
    }

    @Test
    void aFallbackTaskThatMeetsAFullQueueUnderBlockIsRefusedAndTheManagerGoesOn() throws Exception {
        try (LazyWorkqueue workqueue = bounded("fallback-blocking").threadFactory(Tasks.alwaysFailing())
            .spawnRetryDelay(Duration.ofMillis(1)).build()) {
            assertThat(fillOwnQueueFromATask(workqueue)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("the submitter is a thread of the workqueue itself");

            assertThat(IdleExitTests.runOn(workqueue, 0)).isEqualTo(Threads.MANAGER);
        }
    }

    @Test
    void awaitTerminationFromATaskOfTheWorkqueueIsRefused() throws Exception {
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("self-waiting").cpus("0").affinity(AffinityMode.NONE)
            .build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            workqueue.executeOn(0, () -> {
                try {
                    workqueue.awaitTermination(1, TimeUnit.DAYS);
                    outcome.complete(null);
                }
                catch (Throwable ex) {
                    outcome.complete(ex);
                }
            });

            assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessage("awaitTermination() of workqueue 'self-waiting' was called from one of its own threads"
                        + " and would wait for itself");
        }
    }

    private static LazyWorkqueue.Builder bounded(String name) {
        return LazyWorkqueue.builder(name).cpus("0").affinity(AffinityMode.NONE).queueCapacity(1)
            .rejection(RejectionPolicy.BLOCK);
    }

    /**
     * From a task on CPU 0, queues tasks on CPU 0 until one is refused.
     * @return what refused it, or {@code null} if the queue took them all
     */
    private static Throwable fillOwnQueueFromATask(LazyWorkqueue workqueue) throws Exception {
        AtomicInteger ran = new AtomicInteger();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        workqueue.executeOn(0, () -> {
            try {
                for (int task = 0; task < 3; task++) {
                    workqueue.executeOn(0, ran::incrementAndGet);
                }
                outcome.complete(null);
            }
            catch (Throwable ex) {
                outcome.complete(ex);
            }
        });
        Throwable refusal = outcome.get(30, TimeUnit.SECONDS);
        assertThat(workqueue.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(ran).hasValue(1);
        return refusal;
    }
}
