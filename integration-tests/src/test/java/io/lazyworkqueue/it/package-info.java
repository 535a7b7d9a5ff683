/**
 * Tests of the sample application with real components: a Prometheus server that scrapes it, and
 * containers limited to some of the machine's CPUs.
 */
@NullMarked
package io.lazyworkqueue.it;

import org.jspecify.annotations.NullMarked;
