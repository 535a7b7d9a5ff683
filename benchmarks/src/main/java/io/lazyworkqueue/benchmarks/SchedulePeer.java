package io.lazyworkqueue.benchmarks;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.LazyWorkqueue;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** The schedulers that {@link ScheduleFootprintHarness} runs one fixed-rate job on. */
enum SchedulePeer {

    /** A lazy workqueue with its defaults, so its worker outlives the 1 s period (idle timeout 10 s). */
    LAZY {
        @Override
        Runnable start(Runnable job, Duration period) {
            return lazy(LazyWorkqueue.builder("sched").build(), job, period);
        }
    },

    /** A lazy workqueue whose worker exits between runs: idle timeout 500 ms, half the period. */
    LAZY_SHORT_IDLE {
        @Override
        Runnable start(Runnable job, Duration period) {
            return lazy(LazyWorkqueue.builder("sched").idleTimeout(Duration.ofMillis(500)).build(), job, period);
        }
    },

    /** Spring's {@code ThreadPoolTaskScheduler} as Spring Boot builds it by default: one thread. */
    SPRING_TPTS {
        @Override
        Runnable start(Runnable job, Duration period) {
            ThreadPoolTaskScheduler scheduler = SpringBootDefaults.taskScheduler();
            scheduler.scheduleAtFixedRate(job, period);
            return scheduler::shutdown;
        }
    },

    /** {@code Executors.newScheduledThreadPool(1)}. */
    JDK_STPE {
        @Override
        Runnable start(Runnable job, Duration period) {
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
            scheduler.scheduleAtFixedRate(job, 0, period.toNanos(), TimeUnit.NANOSECONDS);
            return scheduler::shutdownNow;
        }
    };

    /**
     * Creates the scheduler and schedules the job at a fixed rate, the first run at once.
     * @param job the job
     * @param period the time between the starts of two runs
     * @return what stops the schedule and the scheduler
     */
    abstract Runnable start(Runnable job, Duration period);

    private static Runnable lazy(LazyWorkqueue workqueue, Runnable job, Duration period) {
        workqueue.scheduleAtFixedRate(job, Duration.ZERO, period);
        return workqueue::close;
    }
}
