package io.lazyworkqueue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The concurrency rule, in the manager's looks at a pool: a worker is stuck when it is blocked
 * (waiting on a lock, a condition, a future, a sleep) at two looks in a row, or when it has used
 * the concurrency threshold of CPU time in one task since the manager first saw that task. Java
 * tells a pool nothing when its worker sleeps, so the manager finds out by looking.
 *
 * <p>CPU time rather than wall time: on a loaded machine a short task may wait long for a CPU, and
 * another worker would only add to the load. Where the JVM cannot measure a thread's CPU time,
 * wall time stands in.
 */
final class StuckWorkers {

    private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private final long thresholdNanos;

    StuckWorkers(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
    }

    /** @return whether every worker is stuck; vacuously so for none. Manager thread only. */
    boolean allStuck(List<Worker> workers, long now) {
        boolean all = true;
        for (Worker worker : workers) {
            // Every worker is looked at, so that each keeps its record of the last look.
            all &= stuck(worker, now);
        }
        return all;
    }

    private boolean stuck(Worker worker, long now) {
        Thread thread = worker.thread;
        if (thread == null || !worker.busy) {
            worker.lookedAtTask = -1;
            worker.blockedAtLastLook = false;
            return false;
        }
        boolean blocked = switch (thread.getState()) {
            case BLOCKED, WAITING, TIMED_WAITING -> true;
            default -> false;
        };
        boolean blockedTwice = blocked && worker.blockedAtLastLook;
        worker.blockedAtLastLook = blocked;
        long task = worker.tasksStarted;
        long cpuNanos = cpuTime(thread);
        if (task != worker.lookedAtTask) {
            worker.lookedAtTask = task;
            worker.lookedAtCpuNanos = cpuNanos;
            worker.lookedAtNanos = now;
            return blockedTwice;
        }
        boolean longRunning = cpuNanos >= 0 && worker.lookedAtCpuNanos >= 0
                ? cpuNanos - worker.lookedAtCpuNanos >= thresholdNanos
                : now - worker.lookedAtNanos >= thresholdNanos;
        return blockedTwice || longRunning;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; the engine runs on 17.
    private static long cpuTime(Thread thread) {
        try {
            return threads.isThreadCpuTimeEnabled() ? threads.getThreadCpuTime(thread.getId()) : -1;
        }
        catch (UnsupportedOperationException ex) {
            return -1;
        }
    }
}
