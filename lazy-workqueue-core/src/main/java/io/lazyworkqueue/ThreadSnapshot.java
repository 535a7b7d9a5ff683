package io.lazyworkqueue;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One live thread of a workqueue.
 * @param name the thread's name
 * @param nativeThreadId the kernel's thread id (as in {@code /proc/<pid>/task}), or -1 if unknown
 * @param pinnedCpu the CPU the thread is pinned to, or {@code null} if it runs unpinned
 * @param startedAt when the thread started
 * @param lastActiveAt when the thread last finished its work and went idle, or its start
 * @param completedTasks how many tasks the thread has run
 */
public record ThreadSnapshot(String name, long nativeThreadId, @Nullable Integer pinnedCpu, Instant startedAt,
        Instant lastActiveAt, long completedTasks) {
}
