package io.lazyworkqueue;

/**
 * The engine's CPU affinity calls, for threads the benchmarks run themselves: the eager per-CPU
 * baseline pins its threads and reads the current CPU, and some benchmarks pin the submitting
 * thread. Going through the engine's own binding, the baseline pays exactly what the engine pays.
 *
 * <p>This class sits in the engine's package, but in the benchmarks module, because the binding
 * is package-private: the engine's API does not grow a pinning helper for the benchmarks' sake.
 */
public final class BenchmarkAffinity {

    private BenchmarkAffinity() {
    }

    /**
     * Pins the calling thread to one CPU.
     * @param cpu the CPU
     * @return whether the thread is now pinned; {@code false} where the platform cannot pin or refuses
     */
    public static boolean pinCurrentThread(int cpu) {
        try {
            Affinity.get().pinCurrentThread(cpu);
            return true;
        }
        catch (AffinityException ex) {
            return false;
        }
    }

    /** @return the CPU the calling thread runs on, or -1 where that cannot be read */
    public static int currentCpu() {
        return Affinity.get().currentCpu();
    }
}
