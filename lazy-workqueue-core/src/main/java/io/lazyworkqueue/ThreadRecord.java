package io.lazyworkqueue;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/** What a workqueue knows of one of its live threads, for snapshots. */
final class ThreadRecord {

    private volatile String name;

    volatile long nativeThreadId = -1;

    volatile @Nullable Integer pinnedCpu;

    volatile long startedNanos;

    volatile long lastActiveNanos;

    private final AtomicLong completed = new AtomicLong();

    ThreadRecord(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** The thread took another name: a pool's worker is named after the workqueue whose task it runs. */
    void rename(String name) {
        this.name = name;
    }

    /** Fills in the facts of the calling thread, which has just started. */
    void started(WorkqueueClock clock) {
        nativeThreadId = Affinity.currentNativeThreadId();
        startedNanos = clock.nanoTime();
        lastActiveNanos = startedNanos;
    }

    void countCompleted() {
        // Only the thread itself writes; readers of a snapshot need no fence on the hot path.
        completed.lazySet(completed.get() + 1);
    }

    long completed() {
        return completed.get();
    }

    ThreadSnapshot snapshot(Timebase timebase) {
        return new ThreadSnapshot(name, nativeThreadId, pinnedCpu, timebase.at(startedNanos),
                timebase.at(lastActiveNanos), completed.get());
    }
}
