package io.lazyworkqueue.spring;

import java.util.concurrent.CountDownLatch;

/** Latches that tasks of the tests wait on. */
public final class Latches {

    private Latches() {
    }

    /**
     * Waits for the latch; an interrupt, as {@code shutdownNow()} sends, ends the wait and stays set.
     * @param latch the latch
     */
    public static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
