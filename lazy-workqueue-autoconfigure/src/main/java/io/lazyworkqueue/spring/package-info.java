/**
 * Lazy workqueues as Spring {@code TaskExecutor}s.
 */
@NullMarked
package io.lazyworkqueue.spring;

import org.jspecify.annotations.NullMarked;
