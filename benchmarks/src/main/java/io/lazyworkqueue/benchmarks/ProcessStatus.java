package io.lazyworkqueue.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The resident set size of this process, from {@code /proc/self/status}: what the kernel really
 * backs with memory, so thread stacks count by the pages they touched, not by their reserved size.
 */
final class ProcessStatus {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessStatus() {
    }

    /** @return this process's resident set size in kB, or -1 where {@code /proc} is missing */
    static long residentKilobytes() {
        if (!Files.isReadable(STATUS)) {
            return -1;
        }
        try {
            return residentKilobytes(Files.readAllLines(STATUS));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param status the lines of a {@code /proc/<pid>/status} file
     * @return the {@code VmRSS} value in kB, or -1 if there is none
     */
    static long residentKilobytes(List<String> status) {
        for (String line : status) {
            if (line.startsWith("VmRSS:")) {
                String value = line.substring("VmRSS:".length()).trim();
                if (!value.endsWith("kB")) {
                    throw new IllegalStateException("unexpected VmRSS unit in '" + line + "'");
                }
                return Long.parseLong(value.substring(0, value.length() - 2).trim());
            }
        }
        return -1;
    }
}
