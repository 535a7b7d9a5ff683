package io.lazyworkqueue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/** CPU affinity of the calling thread: the platform calls the engine needs, or stand-ins. */
interface Affinity {

    /** @return the CPUs this process may run on */
    CpuSet allowedCpus();

    /**
     * Pins the calling thread to one CPU.
     * @param cpu the CPU
     * @throws AffinityException if the platform refuses or cannot pin
     */
    void pinCurrentThread(int cpu);

    /**
     * Lets the calling thread run on every CPU of the process again. A new thread inherits the
     * affinity of the thread that started it, so a thread started by a pinned worker would
     * otherwise stay on that worker's CPU. Where pinning is unavailable nothing was pinned.
     */
    default void unpinCurrentThread() {
    }

    /** @return the CPU the calling thread runs on now, or -1 where that cannot be read */
    int currentCpu();

    /** @return why pinning is unavailable, or {@code null} where it is available */
    @Nullable String unavailableReason();

    /** @return the kernel's id of the calling thread, or -1 where that cannot be read */
    static long currentNativeThreadId() {
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>" for whichever thread reads it.
            Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Long.parseLong(link.getFileName().toString());
        }
        catch (IOException | UnsupportedOperationException | NumberFormatException ex) {
            return -1;
        }
    }

    /** @return the platform's affinity: JNA on 64-bit Linux, else unpinned stand-ins */
    static Affinity get() {
        return AffinityHolder.INSTANCE;
    }
}
