package io.lazyworkqueue.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;

/**
 * One invalid setting as the start-up failure report shows it.
 * @param property the full property key
 * @param value the value as written
 * @param origin where it is written, when known
 * @param reason why it cannot be used, in property words
 * @param action what to write instead
 */
record Problem(String property, String value, @Nullable Origin origin, String reason, String action) {
}
