/**
 * A web application that drives lazy workqueues over HTTP, to watch their threads come and go.
 */
@NullMarked
package io.lazyworkqueue.sample;

import org.jspecify.annotations.NullMarked;
