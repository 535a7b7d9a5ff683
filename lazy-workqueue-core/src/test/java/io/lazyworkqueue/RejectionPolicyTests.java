package io.lazyworkqueue;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class RejectionPolicyTests {

    private final CountDownLatch release = new CountDownLatch(1);

    /** A workqueue whose CPU 0 is busy with one task and has room for two more. */
    private LazyWorkqueue busyWorkqueue(String name, RejectionPolicy rejection) throws InterruptedException {
        LazyWorkqueue workqueue = LazyWorkqueue.builder(name).cpus("0-1").affinity(AffinityMode.NONE).maxActive(1)
            .queueCapacity(2).rejection(rejection).build();
        CountDownLatch started = new CountDownLatch(1);
        workqueue.executeOn(0, () -> {
            started.countDown();
            LazyWorkqueueTests.awaitQuietly(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        workqueue.executeOn(0, () -> { });
        workqueue.executeOn(0, () -> { });
        return workqueue;
    }

    @Test
    void abortRefusesATaskForAFullQueueNamingTheCpuAndTheCapacity() throws Exception {
        try (LazyWorkqueue workqueue = busyWorkqueue("abort", RejectionPolicy.ABORT)) {
            assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> workqueue.executeOn(0, () -> { }))
                .withMessage("Workqueue 'abort' rejected a task: the queue of CPU 0 is full (queue capacity 2)");
            workqueue.executeOn(1, () -> { });

            assertThat(workqueue.snapshot().cpu(0).counters().rejected()).isEqualTo(1);
            assertThat(workqueue.snapshot().cpu(0).queued()).isEqualTo(2);
            release.countDown();
        }
    }

    @Test
    void callerRunsRunsATaskForAFullQueueOnTheSubmittingThread() throws Exception {
        try (LazyWorkqueue workqueue = busyWorkqueue("caller", RejectionPolicy.CALLER_RUNS)) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();

            workqueue.executeOn(0, () -> ranOn.set(Thread.currentThread()));

            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
            assertThat(workqueue.snapshot().cpu(0).counters().rejected()).isZero();
            release.countDown();
        }
    }

    @Test
    void blockMakesTheSubmitterWaitForRoom() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (LazyWorkqueue workqueue = busyWorkqueue("block", RejectionPolicy.BLOCK)) {
            CompletableFuture<Void> blocked;
            try {
                blocked = submitInBackground(workqueue, ran::incrementAndGet);
                await("the submitter waiting in the workqueue").until(() -> parkedInTheWorkqueue("block-submitter"));
                assertThat(blocked).isNotDone();
                assertThat(ran).hasValue(0);
                assertThat(workqueue.snapshot().cpu(0).queued()).isEqualTo(2);
            }
            finally {
                // Else a failed check would leave close() waiting for the busy task.
                release.countDown();
            }

            blocked.get(10, TimeUnit.SECONDS);
            workqueue.flush();
            assertThat(ran).hasValue(1);
        }
    }

    @Test
    void aSubmitterBlockedOnAFullQueueIsRefusedWhenTheWorkqueueShutsDown() throws Exception {
        LazyWorkqueue workqueue = busyWorkqueue("block-shutdown", RejectionPolicy.BLOCK);
        CompletableFuture<Void> blocked = submitInBackground(workqueue, () -> { });
        await("the submitter waiting in the workqueue").until(() -> parkedInTheWorkqueue("block-submitter"));

        workqueue.shutdown();

        assertThat(blocked).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
            .havingCause().isInstanceOf(RejectedExecutionException.class)
            .withMessage("Workqueue 'block-shutdown' has shut down and accepts no work");
        release.countDown();
        assertThat(workqueue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anInterruptedBlockedSubmitterIsRefusedAndKeepsItsInterrupt() throws Exception {
        try (LazyWorkqueue workqueue = busyWorkqueue("block-interrupt", RejectionPolicy.BLOCK)) {
            AtomicReference<Throwable> refusal = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread submitter = new Thread(() -> {
                try {
                    workqueue.executeOn(0, () -> { });
                }
                catch (RejectedExecutionException ex) {
                    refusal.set(ex);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            }, "interrupted-submitter");
            submitter.start();
            await("the submitter waiting in the workqueue").until(() -> parkedInTheWorkqueue("interrupted-submitter"));

            submitter.interrupt();
            submitter.join(10_000);

            assertThat(refusal.get()).hasMessage(
                    "Workqueue 'block-interrupt' rejected a task: interrupted while waiting for room in the queue of CPU 0");
            assertThat(stillInterrupted.get()).isTrue();
            release.countDown();
        }
    }

    private static CompletableFuture<Void> submitInBackground(LazyWorkqueue workqueue, Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Thread(() -> {
            try {
                workqueue.executeOn(0, task);
                done.complete(null);
            }
            catch (Throwable ex) {
                done.completeExceptionally(ex);
            }
        }, "block-submitter").start();
        return done;
    }

    /**
     * Whether a thread of that name is parked inside a call to the workqueue, as a submitter waiting
     * for room is; one that has not yet called, or has returned, is not.
     */
    private static boolean parkedInTheWorkqueue(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream()
            .filter(thread -> thread.getKey().getName().equals(threadName))
            .anyMatch(thread -> waiting(thread.getKey()) && Arrays.stream(thread.getValue())
                .anyMatch(frame -> frame.getClassName().equals(LazyWorkqueue.class.getName())));
    }

    private static boolean waiting(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }
}
