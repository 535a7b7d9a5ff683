/**
 * Spring Boot auto-configuration of lazy workqueues declared under {@code lazy-workqueue.queues}.
 */
@NullMarked
package io.lazyworkqueue.autoconfigure;

import org.jspecify.annotations.NullMarked;
