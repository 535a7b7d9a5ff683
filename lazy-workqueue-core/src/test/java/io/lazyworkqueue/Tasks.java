package io.lazyworkqueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers that tests share: what a thread is, and thread factories that fail on purpose. */
final class Tasks {

    private Tasks() {
    }

    /** @return the {@code Cpus_allowed_list} the kernel reports for a thread of this process */
    static String cpusAllowedList(long nativeThreadId) {
        Path status = Path.of("/proc/self/task/" + nativeThreadId + "/status");
        try {
            return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring("Cpus_allowed_list:".length()).trim())
                .findFirst()
                .orElseThrow();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return a factory whose every call throws */
    static ThreadFactory alwaysFailing() {
        return task -> {
            throw new IllegalStateException("no threads today");
        };
    }

    /** @return a factory that fails every other call, starting with the first */
    static ThreadFactory failingEveryOtherCall() {
        AtomicInteger calls = new AtomicInteger();
        return task -> {
            if (calls.getAndIncrement() % 2 == 0) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
            }
            return new Thread(task);
        };
    }
}
