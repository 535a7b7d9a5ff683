package io.lazyworkqueue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine under a real thread limit: a child JVM runs as user nobody while its RLIMIT_NPROC
 * lets no thread start (see {@link ThreadLimitScenario} for what it does and checks).
 */
class ThreadLimitTests {

    private static final int TRIALS = 300;

    private static final int SUBMITTERS = 2;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void underAThreadLimitEverySubmitterIsRejectedOrHasItsTaskRunExactlyOnce() throws Exception {
        String unavailable = ThreadLimitedJvm.unavailableReason();
        assumeTrue(unavailable == null, () -> "ThreadLimitTests skipped: " + unavailable);
        try (ThreadLimitedJvm child = ThreadLimitedJvm.start(ThreadLimitScenario.class, Duration.ofSeconds(90),
                Integer.toString(TRIALS), Integer.toString(SUBMITTERS))) {
            child.await("ready");
            child.forbidNewThreads();
            child.send("limited");
            assertThat(child.await("probe")).as("a plain Thread.start() in the child under RLIMIT_NPROC 1\n%s",
                    child.transcript()).startsWith("probe refused java.lang.OutOfMemoryError");
            child.await("raced");
            child.restoreThreadLimit();
            child.send("lifted");
            assertThat(child.await("probe")).as("a plain Thread.start() in the child once the limit is lifted\n%s",
                    child.transcript()).isEqualTo("probe started");
            String done = child.await("done");
            System.out.print(child.output());
            assertThat(done).as("the contract over %d trials of %d submitters\n%s", TRIALS, SUBMITTERS,
                    child.transcript()).endsWith(", violations 0");
        }
    }
}
