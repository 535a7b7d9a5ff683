package io.lazyworkqueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.lazyworkqueue.ModelThreads.join;
import static io.lazyworkqueue.ModelThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link Turns}, the {@code maxActive} of one workqueue CPU: submitters take a
 * turn or park their task, turns end as tasks finish, and a submitter or {@code shutdownNow()}
 * takes tasks back, all at once. Lincheck runs each scenario under many interleavings; a
 * {@link ModelCpu} drives the real {@link Turns} as {@code CpuSlot} does, and the tasks count what
 * happened to them, so that the main thread asserts it from outside.
 */
class TurnsLincheckTests {

    /** Interleavings explored per scenario; see docs/testing.md for what they were seen to find. */
    private static final int INVOCATIONS = 1_000;

    /**
     * Every turn is taken; one submitter queues two tasks while as many workers as there are
     * turns each finish a task. With one turn the tasks are activated in the order queued; with
     * two, two activations may race, so only the order in which they leave the inactive tasks is
     * kept, as with the kernel's {@code max_active} above 1.
     */
    @ParameterizedTest(name = "with {0} turn(s)")
    @ValueSource(ints = {1, 2})
    void tasksParkedWhileTurnsEndAreActivatedOnceEachAndNeverOvertakeAnEarlierOne(int max) {
        Lincheck.runConcurrentTest(INVOCATIONS / max, () -> {
            ModelCpu cpu = new ModelCpu(max);
            List<Item> items = cpu.fillTurns();
            Item first = new Item();
            Item second = new Item();
            items.add(first);
            items.add(second);

            Thread submitter = start(() -> {
                cpu.submit(first);
                cpu.submit(second);
            });
            Thread[] workers = new Thread[max];
            for (int i = 0; i < max; i++) {
                workers[i] = start(cpu::runNext);
            }
            join(submitter);
            join(workers);

            cpu.assertNoTaskWaitsForAFreeTurn(items);
            assertTrue(first.isOut() || !second.isOut(), "the second task left the inactive ones before the first");
            cpu.runAll();
            cpu.assertEachOnce(items);
            if (max == 1) {
                assertEquals(List.of(first, second), cpu.activatedAmong(first, second), "the order of activation");
            }
        });
    }

    /**
     * Every turn is taken; a submitter queues a task and takes it back, as one whose manager
     * could not be had, while a worker finishes a task and {@code shutdownNow()} drains the CPU.
     */
    @ParameterizedTest(name = "with {0} turn(s)")
    @ValueSource(ints = {1, 2})
    void aTaskTakenBackWhileItsTurnFreesAndTheQueueIsDrainedLeavesExactlyOnce(int max) {
        Lincheck.runConcurrentTest(INVOCATIONS / max, () -> {
            ModelCpu cpu = new ModelCpu(max);
            List<Item> items = cpu.fillTurns();
            Item task = new Item();
            items.add(task);

            Thread submitter = start(() -> {
                cpu.submit(task);
                cpu.takeBack(task);
            });
            Thread worker = start(cpu::runNext);
            Thread stopper = start(cpu::drain);
            join(submitter, worker, stopper);

            cpu.assertNoTaskWaitsForAFreeTurn(items);
            cpu.runAll();
            cpu.assertEachOnce(items);
        });
    }

    /**
     * One workqueue CPU around the real {@link Turns}, as {@code CpuSlot} drives it: an activated
     * task joins a pool queue, from which a worker runs it and ends its turn, or from which it is
     * taken back. It counts the tasks active and the most ever active at once.
     */
    private static final class ModelCpu implements Consumer<Item> {

        private final int max;

        private final Turns<Item> turns;

        /** Active tasks not yet run: the pool's queue. */
        private final ConcurrentLinkedQueue<Item> pool = new ConcurrentLinkedQueue<>();

        /** Every task in the order it was activated. */
        private final ConcurrentLinkedQueue<Item> activated = new ConcurrentLinkedQueue<>();

        /** Tasks activated whose turn has not ended; counted down before the turn ends. */
        private final AtomicInteger active = new AtomicInteger();

        private final AtomicInteger mostActive = new AtomicInteger();

        ModelCpu(int max) {
            this.max = max;
            this.turns = new Turns<>(max, this);
        }

        /** The activation: the task joins the pool's queue. */
        @Override
        public void accept(Item item) {
            item.activations.incrementAndGet();
            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            activated.offer(item);
            pool.offer(item);
        }

        /** @return one task a turn, each activated at once, in a list the caller may add to */
        List<Item> fillTurns() {
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                Item item = new Item();
                submit(item);
                items.add(item);
            }
            return items;
        }

        /** {@code CpuSlot.activate}: a free turn, if no task waits before it, or the task waits inactive. */
        void submit(Item item) {
            if (turns.tryTakeFirst()) {
                accept(item);
            }
            else {
                turns.park(item);
            }
        }

        /** A worker runs the next task of the pool's queue, if there is one, and its turn ends. */
        void runNext() {
            Item item = pool.poll();
            if (item != null) {
                item.runs.incrementAndGet();
                active.decrementAndGet();
                turns.end();
            }
        }

        /** Runs every task left, as the workers would. */
        void runAll() {
            while (!pool.isEmpty()) {
                runNext();
            }
        }

        /** {@code CpuSlot.takeBack}: out of the inactive ones, or off the pool's queue and its turn ended. */
        void takeBack(Item item) {
            if (turns.removeInactive(item)) {
                item.removals.incrementAndGet();
            }
            else if (pool.remove(item)) {
                item.returns.incrementAndGet();
                active.decrementAndGet();
                turns.end();
            }
        }

        /** {@code CpuSlot.drain}, for {@code shutdownNow()}: every queued task, inactive or active, is taken out. */
        void drain() {
            List<Item> inactive = new ArrayList<>();
            turns.drainInactive(inactive);
            inactive.forEach(item -> item.removals.incrementAndGet());
            int taken = 0;
            Item item;
            while ((item = pool.poll()) != null) {
                item.returns.incrementAndGet();
                active.decrementAndGet();
                taken++;
            }
            turns.endWithoutActivating(taken);
            // A submitter that was accepted before the stop may have left a task since.
            turns.activateWaiting();
        }

        /** @return those of the tasks that were activated, in the order they were */
        List<Item> activatedAmong(Item... items) {
            List<Item> among = new ArrayList<>();
            for (Item item : activated) {
                if (List.of(items).contains(item)) {
                    among.add(item);
                }
            }
            return among;
        }

        /** With every thread done, a task still inactive means every turn is taken. */
        void assertNoTaskWaitsForAFreeTurn(List<Item> items) {
            for (Item item : items) {
                assertTrue(item.isOut() || active.get() == max, "a task waits inactive while only " + active.get()
                        + " of " + max + " turn(s) are taken");
            }
        }

        /** Each task was activated or taken out of the inactive ones, once; each activated one ran or was taken back, once. */
        void assertEachOnce(List<Item> items) {
            assertTrue(mostActive.get() <= max, "most tasks active at once: " + mostActive.get() + " of " + max);
            for (Item item : items) {
                assertEquals(1, item.activations.get() + item.removals.get(),
                        "activations plus removals from the inactive tasks");
                assertEquals(item.activations.get(), item.runs.get() + item.returns.get(),
                        "runs plus returns of an activated task");
            }
        }
    }

    /** A task that counts what happened to it. */
    private static final class Item {

        final AtomicInteger activations = new AtomicInteger();

        /** Taken out while inactive. */
        final AtomicInteger removals = new AtomicInteger();

        final AtomicInteger runs = new AtomicInteger();

        /** Taken off the pool's queue after its activation. */
        final AtomicInteger returns = new AtomicInteger();

        /** @return whether it has left the inactive tasks: activated or removed */
        boolean isOut() {
            return activations.get() + removals.get() > 0;
        }
    }
}
