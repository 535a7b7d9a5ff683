package io.lazyworkqueue.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;

/** Linux cpulists such as {@code 0-3,8}, and the CPUs this JVM may run on. */
final class CpuList {

    private CpuList() {
    }

    static SortedSet<Integer> parse(String cpulist) {
        SortedSet<Integer> cpus = new TreeSet<>();
        for (String part : cpulist.trim().split(",")) {
            String[] range = part.trim().split("-");
            int first = Integer.parseInt(range[0]);
            int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    /** The CPUs of this process's affinity mask ({@code Cpus_allowed_list} of /proc/self/status). */
    static SortedSet<Integer> ofThisProcess() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parse(line.substring(line.indexOf(':') + 1));
                }
            }
            throw new IllegalStateException("/proc/self/status has no Cpus_allowed_list");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
