package io.lazyworkqueue.benchmarks;

import org.openjdk.jmh.infra.Blackhole;

/**
 * Busy work of a given length, as {@link Blackhole#consumeCPU} tokens: the JIT cannot remove it,
 * and it allocates nothing, so it adds CPU time without adding memory traffic.
 */
final class CpuWork {

    /**
     * Tokens per microsecond on the reference machine (AMD EPYC at 2.1 GHz, JDK 17), where 500
     * tokens took 0.98 µs once compiled; on other machines the work is proportionally longer or
     * shorter.
     */
    static final long TOKENS_PER_MICROSECOND = 500;

    private CpuWork() {
    }

    /**
     * @param micros microseconds of work on the reference machine
     * @return the tokens to pass to {@link Blackhole#consumeCPU}
     */
    static long tokens(int micros) {
        return micros * TOKENS_PER_MICROSECOND;
    }

    /**
     * Spends about {@code micros} microseconds of CPU time on the reference machine.
     * @param micros how long
     */
    static void spin(int micros) {
        Blackhole.consumeCPU(tokens(micros));
    }
}
