/**
 * JMH benchmarks and a thread-footprint harness that measure the lazy workqueue against the
 * executors a Java or Spring Boot application would otherwise use.
 *
 * <p>Run {@code benchmarks/run.sh} for a quick pass; see {@code docs/performance.md}.
 *
 * <p>Every JMH fork runs with a fixed, pre-touched 1 GB heap ({@code -Xms1g -Xmx1g
 * -XX:+AlwaysPreTouch}). Without pre-touching, the first write to each new heap page faults, and
 * in this VM those faults took a quarter of a producer's CPU samples; a peer that allocates more
 * per task would pay for that in proportion to how far into the heap a run happened to get.
 */
@NullMarked
package io.lazyworkqueue.benchmarks;

import org.jspecify.annotations.NullMarked;
