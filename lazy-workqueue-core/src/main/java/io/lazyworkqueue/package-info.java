/**
 * Lazy workqueues: named executors with one worker thread per CPU, where a CPU's thread is
 * created only when work arrives for that CPU, is pinned to it, and exits after it has been idle
 * for a while.
 *
 * <p>Start with {@link io.lazyworkqueue.LazyWorkqueue#builder(String)}.
 */
@NullMarked
package io.lazyworkqueue;

import org.jspecify.annotations.NullMarked;
