/**
 * Actuator support for lazy workqueues: the {@code workqueues} endpoint and health contributor.
 */
@NullMarked
package io.lazyworkqueue.actuate;

import org.jspecify.annotations.NullMarked;
