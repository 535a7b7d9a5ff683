package io.lazyworkqueue.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class runs a Prometheus server from the binary {@code lazyworkqueue.prometheus.binary}
 * ({@code /usr/bin/prometheus}): without it the class is skipped with a message in the output, or fails
 * under {@code -Dlazyworkqueue.require-prometheus=true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalPrometheusCondition.class)
@interface RequiresLocalPrometheus {
}
