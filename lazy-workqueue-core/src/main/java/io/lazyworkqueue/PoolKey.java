package io.lazyworkqueue;

import java.util.concurrent.ThreadFactory;

import org.jspecify.annotations.Nullable;

/**
 * What decides which workqueues share worker pools: everything that shapes a worker thread. The
 * platform, clock and thread factory compare by identity.
 * @param platform the affinity calls
 * @param clock the time source of idle timeouts and cool-downs
 * @param affinity whether workers pin themselves
 * @param threadFactory the factory of the workers' threads
 * @param idleTimeoutNanos how long an idle worker lives
 * @param spawnRetryNanos how long after a failed creation the pool does not try again
 * @param concurrencyThresholdNanos how long a worker may run one task before it counts as stuck
 * @param dedicatedTo the one workqueue the pools serve, or {@code null} for shared pools
 */
record PoolKey(Affinity platform, WorkqueueClock clock, AffinityMode affinity, ThreadFactory threadFactory,
        long idleTimeoutNanos, long spawnRetryNanos, long concurrencyThresholdNanos, @Nullable Object dedicatedTo) {

    /** @return whether the threads come from the engine's own factory, which always runs what it is given */
    boolean ownThreadFactory() {
        return threadFactory == LazyWorkqueue.Builder.DEFAULT_THREAD_FACTORY;
    }
}
