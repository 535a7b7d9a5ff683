package io.lazyworkqueue;

/** A thread could not be pinned to a CPU. */
final class AffinityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AffinityException(String message) {
        super(message);
    }
}
