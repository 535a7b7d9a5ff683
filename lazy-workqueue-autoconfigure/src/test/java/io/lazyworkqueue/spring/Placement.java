package io.lazyworkqueue.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.lazyworkqueue.CpuSet;

/**
 * The thread a task ran on and the CPUs the kernel lets it use.
 *
 * @param thread the thread's name
 * @param description the thread's {@code toString()}, which tells a virtual thread from a platform one on any JDK
 * @param allowedCpus the CPUs the kernel lets the thread use
 */
public record Placement(String thread, String description, CpuSet allowedCpus) {

    /**
     * Asks the kernel, not the engine that pinned the thread. {@link CpuSet#allowed()} cannot tell: it is
     * the process's set, whatever the calling thread is pinned to.
     *
     * @return where the calling thread runs
     */
    public static Placement current() {
        try {
            String allowed = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .findFirst()
                .orElseThrow();
            Thread thread = Thread.currentThread();
            return new Placement(thread.getName(), thread.toString(),
                    CpuSet.parse(allowed.substring(allowed.indexOf(':') + 1)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
