package io.lazyworkqueue.autoconfigure;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The value a queue runs with for one property and the full key it was written under; both are
 * null when neither the queue nor {@code lazy-workqueue.defaults} sets it.
 */
record Setting<T>(@Nullable String key, @Nullable T value) {

    void ifSet(Consumer<T> action) {
        if (value != null) {
            action.accept(value);
        }
    }

    T orElse(T fallback) {
        return value != null ? value : fallback;
    }
}
