package io.lazyworkqueue;

import java.util.Arrays;
import java.util.BitSet;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import org.jspecify.annotations.Nullable;

/**
 * Affinity through glibc's {@code sched_*} calls, bound with JNA direct mapping so that reading
 * the current CPU on the submit path costs a native call and no reflection.
 */
final class LinuxAffinity implements Affinity {

    private static final int EINVAL = 22;

    /** glibc's {@code cpu_set_t} holds 1024 CPUs: 16 longs. */
    private static final int CPU_SET_LONGS = 16;

    private static final int MAX_CPU_SET_LONGS = (CpuSet.MAX_CPU + 1) / Long.SIZE;

    static {
        Native.register(LinuxAffinity.class, Platform.C_LIBRARY_NAME);
    }

    private static native int sched_getaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;

    private static native int sched_setaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;

    private static native int sched_getcpu();

    @Override
    public CpuSet allowedCpus() {
        // The process's first thread keeps the affinity the process was started with (taskset,
        // cgroup cpuset), whatever a caller's own thread has been pinned to since.
        int pid = (int) ProcessHandle.current().pid();
        for (int longs = CPU_SET_LONGS; ; longs *= 2) {
            long[] mask = new long[longs];
            try {
                sched_getaffinity(pid, (long) longs * Long.BYTES, mask);
                return CpuSet.of(BitSet.valueOf(mask).stream().toArray());
            }
            catch (LastErrorException ex) {
                // EINVAL: the kernel's CPU mask is wider than ours.
                if (ex.getErrorCode() != EINVAL || longs >= MAX_CPU_SET_LONGS) {
                    throw new AffinityException("sched_getaffinity failed with errno " + ex.getErrorCode());
                }
            }
        }
    }

    @Override
    public void pinCurrentThread(int cpu) {
        long[] mask = new long[Math.max(CPU_SET_LONGS, cpu / Long.SIZE + 1)];
        mask[cpu / Long.SIZE] = 1L << (cpu % Long.SIZE);
        try {
            sched_setaffinity(0, (long) mask.length * Long.BYTES, mask);
        }
        catch (LastErrorException ex) {
            String why = ex.getErrorCode() == EINVAL
                    ? "EINVAL: CPU " + cpu + " is not online or not in this process's cpuset"
                    : "errno " + ex.getErrorCode();
            throw new AffinityException("sched_setaffinity to CPU " + cpu + " failed (" + why + ")");
        }
    }

    @Override
    public void unpinCurrentThread() {
        CpuSet allowed = allowedCpus();
        BitSet bits = new BitSet();
        allowed.stream().forEach(bits::set);
        long[] mask = Arrays.copyOf(bits.toLongArray(), Math.max(CPU_SET_LONGS, allowed.last() / Long.SIZE + 1));
        try {
            sched_setaffinity(0, (long) mask.length * Long.BYTES, mask);
        }
        catch (LastErrorException ex) {
            throw new AffinityException("sched_setaffinity to CPUs " + allowed + " failed (errno "
                    + ex.getErrorCode() + ")");
        }
    }

    @Override
    public int currentCpu() {
        return sched_getcpu();
    }

    @Override
    public @Nullable String unavailableReason() {
        return null;
    }
}
