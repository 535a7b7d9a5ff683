package io.lazyworkqueue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The turns of one workqueue CPU, as the kernel's {@code max_active}: at most {@code max} of its
 * tasks are active (queued on the pool or running); the others wait inactive, in order, and each
 * turn that ends activates the next.
 *
 * <p>Whoever leaves a task inactive reads the turns afterwards, and whoever ends a turn reads the
 * inactive tasks afterwards, so one of them activates it.
 *
 * @param <E> the tasks
 */
final class Turns<E> {

    private final ConcurrentLinkedQueue<E> inactive = new ConcurrentLinkedQueue<>();

    private final AtomicInteger active = new AtomicInteger();

    private final int max;

    private final Consumer<E> activation;

    /**
     * @param max the most tasks active at once
     * @param activation what makes an inactive task active: it queues the task on the pool
     */
    Turns(int max, Consumer<E> activation) {
        this.max = max;
        this.activation = activation;
    }

    /**
     * Takes a turn for a new task if one is free and no task waits before it; the caller then
     * makes the task active itself, and ends the turn if that fails.
     * @return whether it took one
     */
    boolean tryTakeFirst() {
        return inactive.isEmpty() && BoundedIncrement.tryIncrement(active, max);
    }

    /** Leaves a task inactive, and activates waiting tasks while there are turns. */
    void park(E task) {
        inactive.offer(task);
        activateWaiting();
    }

    /** An active task finished or left: the next inactive one may become active. */
    void end() {
        active.decrementAndGet();
        activateWaiting();
    }

    /**
     * Takes the next inactive task for a turn that stays taken: the caller's finished task hands
     * its turn on instead of ending it.
     * @return the task, or {@code null} if none waits; the caller then ends the turn
     */
    @Nullable E pollInactive() {
        return inactive.poll();
    }

    /** @return whether the task was still inactive, so that it is taken out */
    boolean removeInactive(E task) {
        return inactive.remove(task);
    }

    /** Takes out every inactive task. */
    void drainInactive(List<? super E> taken) {
        E task;
        while ((task = inactive.poll()) != null) {
            taken.add(task);
        }
    }

    /** Ends the turns of active tasks taken out of the pool, without activating others. */
    void endWithoutActivating(int turns) {
        active.addAndGet(-turns);
    }

    /** Activates waiting tasks while there are turns. */
    void activateWaiting() {
        while (!inactive.isEmpty() && BoundedIncrement.tryIncrement(active, max)) {
            E next = inactive.poll();
            if (next == null) {
                active.decrementAndGet();
            }
            else {
                activation.accept(next);
            }
        }
    }
}
