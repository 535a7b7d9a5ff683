package io.lazyworkqueue;

import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

/**
 * An immutable, non-empty set of CPU ids, read and written in the Linux cpulist form used by
 * {@code /proc/self/status}, {@code taskset -c} and cgroup cpusets: {@code "0-3,8,10-11"}.
 */
public final class CpuSet {

    /** The largest CPU id accepted, as in the kernel's largest {@code NR_CPUS}. */
    public static final int MAX_CPU = 8191;

    private final int[] cpus;

    private CpuSet(int[] cpus) {
        this.cpus = cpus;
    }

    /**
     * Parses a cpulist such as {@code "0-3,8"}.
     * @param cpulist comma-separated CPU ids and inclusive ranges; white space around ids is ignored
     * @return the set
     * @throws IllegalArgumentException if the text is empty or malformed, a CPU id is written with
     * anything but the ASCII digits {@code 0} to {@code 9}, is negative or above {@link #MAX_CPU},
     * or a range is reversed
     */
    public static CpuSet parse(String cpulist) {
        if (cpulist.isBlank()) {
            throw malformed(cpulist, "it is empty");
        }
        BitSet bits = new BitSet();
        for (String entry : cpulist.split(",", -1)) {
            String part = entry.strip();
            // From index 1, so that a leading '-' reads as the sign of a negative id.
            int dash = part.indexOf('-', 1);
            int first = parseCpu(cpulist, dash < 0 ? part : part.substring(0, dash));
            int last = dash < 0 ? first : parseCpu(cpulist, part.substring(dash + 1));
            if (last < first) {
                throw malformed(cpulist, "range '" + part + "' is reversed");
            }
            bits.set(first, last + 1);
        }
        return new CpuSet(bits.stream().toArray());
    }

    /**
     * The set of the given CPU ids.
     * @param cpus at least one CPU id, each from 0 to {@link #MAX_CPU}
     * @return the set
     */
    public static CpuSet of(int... cpus) {
        if (cpus.length == 0) {
            throw new IllegalArgumentException("A CPU set needs at least one CPU");
        }
        for (int cpu : cpus) {
            checkCpuId(cpu);
        }
        return new CpuSet(IntStream.of(cpus).sorted().distinct().toArray());
    }

    /**
     * The CPUs {@code 0} to {@code count - 1}.
     * @param count how many CPUs, at least one
     * @return the set
     */
    public static CpuSet firstN(int count) {
        if (count < 1 || count > MAX_CPU + 1) {
            throw new IllegalArgumentException(
                    "A CPU count must be from 1 to " + (MAX_CPU + 1) + ", was " + count);
        }
        return new CpuSet(IntStream.range(0, count).toArray());
    }

    /**
     * The CPUs this process may run on: its affinity mask on Linux (so {@code taskset} and cgroup
     * cpusets count), otherwise {@code 0} to {@code availableProcessors() - 1}.
     * @return the set
     */
    public static CpuSet allowed() {
        return Affinity.get().allowedCpus();
    }

    /** @return how many CPUs the set holds */
    public int size() {
        return cpus.length;
    }

    /**
     * @param cpu a CPU id
     * @return whether the set holds it
     */
    public boolean contains(int cpu) {
        return Arrays.binarySearch(cpus, cpu) >= 0;
    }

    /**
     * @param other another set
     * @return whether every CPU of {@code other} is in this set
     */
    public boolean containsAll(CpuSet other) {
        return IntStream.of(other.cpus).allMatch(this::contains);
    }

    /** @return the lowest CPU id of the set */
    public int first() {
        return cpus[0];
    }

    /** @return the highest CPU id of the set */
    public int last() {
        return cpus[cpus.length - 1];
    }

    /**
     * @param index from 0 to {@code size() - 1}
     * @return the CPU at that position, in ascending order
     */
    public int get(int index) {
        return cpus[index];
    }

    /**
     * @param cpu a CPU id of this set
     * @return its position in ascending order, or a negative number if the set does not hold it
     */
    public int indexOf(int cpu) {
        return Arrays.binarySearch(cpus, cpu);
    }

    /** @return the CPU ids in ascending order */
    public IntStream stream() {
        return IntStream.of(cpus);
    }

    /** @return the CPUs of this set that {@code other} does not hold, in ascending order */
    int[] missingFrom(CpuSet other) {
        return IntStream.of(cpus).filter(cpu -> !other.contains(cpu)).toArray();
    }

    /** @return the set in cpulist form, with runs of consecutive ids as ranges: {@code "0-3,8"} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        int start = 0;
        while (start < cpus.length) {
            int end = start;
            while (end + 1 < cpus.length && cpus[end + 1] == cpus[end] + 1) {
                end++;
            }
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(cpus[start]);
            if (end > start) {
                text.append('-').append(cpus[end]);
            }
            start = end + 1;
        }
        return text.toString();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof CpuSet set && Arrays.equals(cpus, set.cpus);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cpus);
    }

    private static int parseCpu(String cpulist, String text) {
        String id = text.strip();
        if (id.length() > 1 && id.charAt(0) == '-' && asciiDigits(id.substring(1))) {
            throw malformed(cpulist, "CPU " + id + " is not allowed: CPU ids cannot be negative");
        }
        if (!asciiDigits(id)) {
            throw malformed(cpulist, "'" + id + "' is not a CPU id: CPU ids are written with the ASCII digits 0 to 9");
        }
        String significant = id.replaceFirst("^0+(?=.)", "");
        // Four digits hold every id up to MAX_CPU; more cannot be parsed as an int, however many.
        if (significant.length() > 4 || Integer.parseInt(significant) > MAX_CPU) {
            throw malformed(cpulist, "CPU " + id + " is above the largest CPU id " + MAX_CPU);
        }
        return Integer.parseInt(significant);
    }

    private static boolean asciiDigits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static void checkCpuId(int cpu) {
        if (cpu < 0 || cpu > MAX_CPU) {
            throw new IllegalArgumentException(
                    "A CPU id must be from 0 to " + MAX_CPU + ", was " + cpu);
        }
    }

    private static IllegalArgumentException malformed(String cpulist, String why) {
        return new IllegalArgumentException("Malformed cpulist '" + ControlCharacters.escape(cpulist) + "': "
                + ControlCharacters.escape(why)
                + "; expected comma-separated CPU ids and ranges such as '0-3,8'");
    }
}
