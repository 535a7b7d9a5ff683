package io.lazyworkqueue.spring;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

    /**
     * Waits for the latch whatever interrupts the thread gets: a task that will not stop.
     * @param latch the latch
     */
    public static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean released = false;
        while (!released) {
            try {
                released = latch.await(1, TimeUnit.DAYS);
            }
            catch (InterruptedException ex) {
                // Ignored on purpose.
            }
        }
    }
}
