package io.lazyworkqueue.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/** The kinds of work the sample runs, each on the queue that suits it. */
@Component
public class Workloads {

    private final AtomicLong journalLength = new AtomicLong();

    /**
     * Work that keeps its CPU busy: it runs on the per-CPU queue, on the CPU of the caller.
     * @param duration how long to compute
     * @return when it is done
     */
    @Async("percpu")
    public CompletableFuture<Void> compute(Duration duration) {
        keepBusy(duration);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Keeps the calling thread's CPU busy.
     * @param duration for how long
     */
    public static void keepBusy(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /**
     * Work that waits, as a call to another service would: up to four such calls run at once per CPU.
     * @param duration how long to wait
     * @return when it is done
     */
    @Async("blocking-io")
    public CompletableFuture<Void> callRemote(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Work whose order matters: entries join the journal one at a time, in the order they came.
     * @return the journal's length after this entry
     */
    @Async("ordered")
    public CompletableFuture<Long> appendToJournal() {
        return CompletableFuture.completedFuture(journalLength.incrementAndGet());
    }

    /**
     * Runs on Spring Boot's own executor, or on the default queue where one is configured.
     * @return the name of the thread it ran on
     */
    @Async
    public CompletableFuture<String> plain() {
        return CompletableFuture.completedFuture(Thread.currentThread().getName());
    }
}
