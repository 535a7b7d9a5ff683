package io.lazyworkqueue;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The delayed tasks that have not fired, as a binary min-heap ordered by
 * {@link DelayedWork#firesBefore}. Each task keeps its own position in the heap, so that
 * {@link #remove} (what {@code cancel} costs) takes logarithmic time rather than a search through
 * every timer. Not thread-safe: the lock of its {@link Timers} guards it.
 */
final class TimerQueue {

    private static final int INITIAL_CAPACITY = 16;

    private @Nullable DelayedWork[] heap = new DelayedWork[INITIAL_CAPACITY];

    private int size;

    int size() {
        return size;
    }

    /** @return the task that fires first, or {@code null} if there is none */
    @Nullable DelayedWork peek() {
        return size == 0 ? null : heap[0];
    }

    /** @param work a task that is in no timer queue */
    void add(DelayedWork work) {
        if (work.heapIndex != DelayedWork.NOT_QUEUED) {
            throw new IllegalStateException("the task is already in a timer queue");
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, work);
    }

    /** @return the task that fires first, taken out, or {@code null} if there is none */
    @Nullable DelayedWork poll() {
        if (size == 0) {
            return null;
        }
        DelayedWork first = at(0);
        removeAt(0);
        return first;
    }

    /** @return whether the task was here; it is not any more */
    boolean remove(DelayedWork work) {
        int index = work.heapIndex;
        if (index < 0 || index >= size || heap[index] != work) {
            return false;
        }
        removeAt(index);
        return true;
    }

    /** Takes every task out, in no particular order. */
    void drainTo(Collection<? super DelayedWork> target) {
        for (int i = 0; i < size; i++) {
            DelayedWork work = at(i);
            work.heapIndex = DelayedWork.NOT_QUEUED;
            target.add(work);
            heap[i] = null;
        }
        size = 0;
    }

    private void removeAt(int index) {
        at(index).heapIndex = DelayedWork.NOT_QUEUED;
        int last = --size;
        DelayedWork moved = at(last);
        heap[last] = null;
        if (index == last) {
            return;
        }
        // The last leaf fills the hole; it may belong above it (when the hole was in another
        // branch) or below it.
        siftDown(index, moved);
        if (heap[index] == moved) {
            siftUp(index, moved);
        }
    }

    /** Places {@code work} at {@code index} or above, moving later-firing parents down. */
    private void siftUp(int index, DelayedWork work) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            DelayedWork above = at(parent);
            if (!work.firesBefore(above)) {
                break;
            }
            place(index, above);
            index = parent;
        }
        place(index, work);
    }

    /** Places {@code work} at {@code index} or below, moving earlier-firing children up. */
    private void siftDown(int index, DelayedWork work) {
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && at(right).firesBefore(at(child))) {
                child = right;
            }
            DelayedWork below = at(child);
            if (!below.firesBefore(work)) {
                break;
            }
            place(index, below);
            index = child;
        }
        place(index, work);
    }

    private DelayedWork at(int index) {
        return Objects.requireNonNull(heap[index]);
    }

    private void place(int index, DelayedWork work) {
        heap[index] = work;
        work.heapIndex = index;
    }
}
