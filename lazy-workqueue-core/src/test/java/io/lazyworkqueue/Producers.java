package io.lazyworkqueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Producer threads of a test, released together so that they really race. */
final class Producers {

    private final List<CompletableFuture<Void>> running = new ArrayList<>();

    private Producers() {
    }

    /**
     * Starts the producers; each gets its index.
     * @param count how many producer threads
     * @param body what each one does
     * @return the started producers
     */
    static Producers start(int count, IntConsumer body) {
        Producers producers = new Producers();
        CountDownLatch go = new CountDownLatch(1);
        for (int index = 0; index < count; index++) {
            int producer = index;
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    body.accept(producer);
                    done.complete(null);
                }
                catch (Throwable ex) {
                    done.completeExceptionally(ex);
                }
            }, "producer-" + index);
            thread.start();
            producers.running.add(done);
        }
        go.countDown();
        return producers;
    }

    /** Waits for every producer to finish, and fails if one failed. */
    void join() throws Exception {
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }
}
