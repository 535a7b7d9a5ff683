package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The system clock, except that once armed it throws on the next read by a chosen thread: a clock
 * is user code, and so is the heap that fills up while the clock allocates.
 */
final class FailingClock implements WorkqueueClock {

    private final AtomicReference<Failure> armed = new AtomicReference<>();

    /**
     * Makes the next read by a thread the predicate accepts throw.
     * @param reader which thread's read fails
     * @param error what it throws
     */
    void failNextRead(Predicate<Thread> reader, Supplier<? extends Error> error) {
        armed.set(new Failure(reader, error, false));
    }

    /** Makes every read by a thread the predicate accepts throw, from now on. */
    void failEveryRead(Predicate<Thread> reader, Supplier<? extends RuntimeException> error) {
        armed.set(new Failure(reader, error, true));
    }

    @Override
    public long nanoTime() {
        Failure failure = armed.get();
        if (failure != null && failure.reader.test(Thread.currentThread())
                && (failure.always || armed.compareAndSet(failure, null))) {
            Throwable error = failure.error.get();
            if (error instanceof Error fatal) {
                throw fatal;
            }
            throw (RuntimeException) error;
        }
        return System.nanoTime();
    }

    @Override
    public void parkUntil(Object blocker, long deadlineNanos) {
        WorkqueueClock.system().parkUntil(blocker, deadlineNanos);
    }

    static Predicate<Thread> threadNamed(String name) {
        return thread -> thread.getName().equals(name);
    }

    private record Failure(Predicate<Thread> reader, Supplier<? extends Throwable> error, boolean always) {
    }
}
