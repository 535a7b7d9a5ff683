package io.lazyworkqueue.benchmarks;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The two glibc calls the eager baseline needs, bound the way the engine binds them (JNA direct
 * mapping), so that the baseline pays the same price for pinning and for reading the current CPU.
 * The engine's own binding is package-private.
 */
final class CpuAffinity {

    /** glibc's {@code cpu_set_t} holds 1024 CPUs: 16 longs. */
    private static final int CPU_SET_LONGS = 16;

    private static final boolean AVAILABLE = register();

    private CpuAffinity() {
    }

    private static boolean register() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return false;
        }
        try {
            Native.register(CpuAffinity.class, Platform.C_LIBRARY_NAME);
            return true;
        }
        catch (LinkageError ex) {
            return false;
        }
    }

    private static native int sched_setaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;

    private static native int sched_getcpu();

    /**
     * Pins the calling thread to one CPU.
     * @param cpu the CPU
     * @return whether the thread is now pinned; {@code false} where the platform cannot pin or refuses
     */
    static boolean pinCurrentThread(int cpu) {
        if (!AVAILABLE) {
            return false;
        }
        long[] mask = new long[Math.max(CPU_SET_LONGS, cpu / Long.SIZE + 1)];
        mask[cpu / Long.SIZE] = 1L << (cpu % Long.SIZE);
        try {
            sched_setaffinity(0, (long) mask.length * Long.BYTES, mask);
            return true;
        }
        catch (LastErrorException ex) {
            return false;
        }
    }

    /** @return the CPU the calling thread runs on, or -1 where that cannot be read */
    static int currentCpu() {
        return AVAILABLE ? sched_getcpu() : -1;
    }
}
