package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicInteger;

/** Adds one to a counter unless that would take it to a bound: room in a queue, a turn. */
final class BoundedIncrement {

    private BoundedIncrement() {
    }

    /** @return whether the counter was below the bound and has been incremented */
    static boolean tryIncrement(AtomicInteger counter, int bound) {
        for (;;) {
            int current = counter.get();
            if (current >= bound) {
                return false;
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }
}
