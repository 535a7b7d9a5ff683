/**
 * Micrometer meters of lazy workqueues.
 */
@NullMarked
package io.lazyworkqueue.metrics;

import org.jspecify.annotations.NullMarked;
