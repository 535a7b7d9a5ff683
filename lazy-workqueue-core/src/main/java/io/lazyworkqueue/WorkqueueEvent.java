package io.lazyworkqueue;

import java.time.Instant;

/**
 * One thread lifecycle event of a workqueue.
 * @param time when it happened, by the workqueue's clock
 * @param cpu the CPU whose queue or thread it concerns
 * @param type what happened
 * @param thread the name of the thread it concerns
 * @param detail a short human-readable explanation; empty when there is nothing to add
 */
public record WorkqueueEvent(Instant time, int cpu, WorkqueueEventType type, String thread, String detail) {
}
