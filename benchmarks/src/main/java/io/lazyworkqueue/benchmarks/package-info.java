/**
 * JMH benchmarks and a thread-footprint harness that measure the lazy workqueue against the
 * executors a Java or Spring Boot application would otherwise use.
 *
 * <p>Run {@code benchmarks/run.sh} for a quick pass; see {@code docs/performance.md}.
 */
@NullMarked
package io.lazyworkqueue.benchmarks;

import org.jspecify.annotations.NullMarked;
