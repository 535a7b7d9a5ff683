package io.lazyworkqueue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;

/**
 * The child JVM of {@link ThreadLimitTests}: submitters race into fresh workqueues while the
 * parent holds this process at a thread limit where no thread can start; once the parent has
 * lifted the limit, each workqueue is shut down and every submitter must have been rejected or
 * have had its task run exactly once.
 *
 * <p>It talks to the parent in lines: it prints {@link #PREFIX} and a word ({@code ready},
 * {@code probe}, {@code raced}, {@code violation}, {@code done}) and waits on standard input for
 * {@code limited} and {@code lifted}. It starts every thread it needs before the limit.
 *
 * <p>Arguments: the number of trials, and of submitters racing in each.
 */
final class ThreadLimitScenario {

    static final String PREFIX = "thread-limit-scenario ";

    /** How long the race of one trial, and the termination of all trials, may take at most. */
    private static final long PHASE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    /** How many violations are printed one by one; the rest are only counted. */
    private static final int VIOLATIONS_SHOWN = 10;

    private final int submitters;

    private final CyclicBarrier start;

    private final CyclicBarrier finish;

    private volatile Trial current;

    private ThreadLimitScenario(int submitters) {
        this.submitters = submitters;
        this.start = new CyclicBarrier(submitters + 1);
        this.finish = new CyclicBarrier(submitters + 1);
    }

    public static void main(String[] args) throws Exception {
        int trials = Integer.parseInt(args[0]);
        ThreadLimitScenario scenario = new ThreadLimitScenario(Integer.parseInt(args[1]));
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        scenario.startSubmitters();
        // Loads and compiles the submit and shutdown paths while threads can still start.
        List<String> violations = new ArrayList<>();
        scenario.check(scenario.race(20, "warm-up-"))
            .forEach(violation -> violations.add("without a limit, " + violation));
        say("ready threads " + threadCount());

        expect(parent, "limited");
        say("probe " + probeThreadStart());
        List<Trial> raced = scenario.race(trials, "limited-");
        long accepted = raced.stream().mapToLong(trial -> trial.count(Outcome.ACCEPTED)).sum();
        long rejected = raced.stream().mapToLong(trial -> trial.count(Outcome.REJECTED)).sum();
        long mixed = raced.stream().filter(trial -> trial.count(Outcome.ACCEPTED) > 0)
            .filter(trial -> trial.count(Outcome.REJECTED) > 0).count();
        say("raced trials " + raced.size() + ", submissions accepted " + accepted + ", rejected " + rejected
                + ", trials with both " + mixed);

        expect(parent, "lifted");
        say("probe " + probeThreadStart());
        violations.addAll(scenario.check(raced));
        violations.stream().limit(VIOLATIONS_SHOWN).forEach(violation -> say("violation " + violation));
        say("done trials " + raced.size() + ", violations " + violations.size());
        System.exit(0);
    }

    private void startSubmitters() {
        for (int index = 0; index < submitters; index++) {
            int submitter = index;
            Thread thread = new Thread(() -> submitLoop(submitter), "submitter-" + index);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void submitLoop(int submitter) {
        try {
            for (;;) {
                start.await();
                current.submit(submitter);
                finish.await();
            }
        }
        catch (InterruptedException | BrokenBarrierException ex) {
            // The main thread gave up on a trial and reports it; this submitter is done.
        }
    }

    /**
     * Runs the trials: each builds a fresh workqueue, whose pools have no worker yet, and lets
     * every submitter execute one task into it at once. A trial whose submitters do not all
     * return in time ends the race; the trials so far are returned.
     */
    private List<Trial> race(int trials, String namePrefix) throws InterruptedException {
        List<Trial> raced = new ArrayList<>(trials);
        for (int index = 0; index < trials; index++) {
            Trial trial = new Trial(index, LazyWorkqueue.builder(namePrefix + index).affinity(AffinityMode.NONE)
                .build(), submitters);
            current = trial;
            raced.add(trial);
            try {
                start.await(PHASE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
                finish.await(PHASE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException | BrokenBarrierException ex) {
                trial.stuck = true;
                break;
            }
        }
        return raced;
    }

    /**
     * Shuts every trial's workqueue down and checks what the submitters were told against what
     * ran.
     * @return one line per trial that broke the contract
     */
    private List<String> check(List<Trial> trials) throws InterruptedException {
        long deadline = System.nanoTime() + PHASE_TIMEOUT_NANOS;
        List<String> violations = new ArrayList<>();
        for (Trial trial : trials) {
            List<String> faults = new ArrayList<>();
            if (trial.stuck) {
                faults.add("its submitters had not all returned from execute() after "
                        + TimeUnit.NANOSECONDS.toSeconds(PHASE_TIMEOUT_NANOS) + " s");
            }
            LazyWorkqueue workqueue = trial.workqueue;
            workqueue.shutdown();
            if (workqueue.isTerminated() && trial.acceptedNotRun() > 0) {
                faults.add("isTerminated() was true right after shutdown() while an accepted task had not run");
            }
            boolean terminated = workqueue.awaitTermination(Math.max(deadline - System.nanoTime(), 0),
                    TimeUnit.NANOSECONDS);
            if (!terminated) {
                faults.add("it did not terminate within " + TimeUnit.NANOSECONDS.toSeconds(PHASE_TIMEOUT_NANOS)
                        + " s of the first shutdown()");
            }
            faults.addAll(trial.brokenPromises());
            WorkqueueSnapshot snapshot = workqueue.snapshot();
            if (terminated && snapshot.queued() > 0) {
                faults.add("its snapshot shows queued work after termination");
            }
            long countedRejections = snapshot.cpus().stream().mapToLong(cpu -> cpu.counters().rejected()).sum();
            if (countedRejections != trial.count(Outcome.REJECTED)) {
                faults.add("its counters show " + countedRejections + " rejection(s) where its submitters got "
                        + trial.count(Outcome.REJECTED));
            }
            if (!faults.isEmpty()) {
                violations.add("trial " + trial.index + ": " + String.join("; ", faults) + " (" + trial.outcomes()
                        + "; snapshot " + describe(snapshot) + ")");
            }
        }
        return violations;
    }

    private static String describe(WorkqueueSnapshot snapshot) {
        return "terminated " + snapshot.terminated() + ", queued " + snapshot.queued() + ", manager "
                + (snapshot.coreThread() != null ? "listed" : "not listed") + ", CPU states "
                + snapshot.cpus().stream().map(cpu -> cpu.cpu() + ":" + cpu.state()).collect(Collectors.joining(" "));
    }

    /** @return how starting a plain thread went: {@code refused} and the error, or {@code started} */
    private static String probeThreadStart() throws InterruptedException {
        Thread probe = new Thread(() -> { }, "probe");
        try {
            probe.start();
        }
        catch (OutOfMemoryError ex) {
            return "refused " + ex;
        }
        probe.join();
        return "started";
    }

    private static long threadCount() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(line -> line.startsWith("Threads:"))
            .mapToLong(line -> Long.parseLong(line.substring("Threads:".length()).trim()))
            .findFirst()
            .orElse(-1);
    }

    private static void expect(BufferedReader parent, String word) throws IOException {
        String line = parent.readLine();
        if (!word.equals(line)) {
            say("aborted: expected '" + word + "' from the parent, got "
                    + (line == null ? "end of input" : "'" + line + "'"));
            System.exit(2);
        }
    }

    private static void say(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }

    private enum Outcome {
        /** The submitter has not returned from execute() yet. */
        PENDING,
        ACCEPTED,
        REJECTED,
        /** execute() threw something other than RejectedExecutionException. */
        FAILED
    }

    /** One workqueue and what each submitter was told, next to how often each task ran. */
    private static final class Trial {

        final int index;

        final LazyWorkqueue workqueue;

        final AtomicIntegerArray runs;

        final Outcome[] outcomes;

        final String[] failures;

        volatile boolean stuck;

        Trial(int index, LazyWorkqueue workqueue, int submitters) {
            this.index = index;
            this.workqueue = workqueue;
            this.runs = new AtomicIntegerArray(submitters);
            this.outcomes = new Outcome[submitters];
            this.failures = new String[submitters];
            Arrays.fill(outcomes, Outcome.PENDING);
        }

        void submit(int submitter) {
            try {
                workqueue.execute(() -> runs.incrementAndGet(submitter));
                outcomes[submitter] = Outcome.ACCEPTED;
            }
            catch (RejectedExecutionException ex) {
                outcomes[submitter] = Outcome.REJECTED;
            }
            catch (Throwable ex) {
                failures[submitter] = ex.toString();
                outcomes[submitter] = Outcome.FAILED;
            }
        }

        long count(Outcome outcome) {
            return Arrays.stream(outcomes).filter(each -> each == outcome).count();
        }

        int acceptedNotRun() {
            int notRun = 0;
            for (int submitter = 0; submitter < outcomes.length; submitter++) {
                if (outcomes[submitter] == Outcome.ACCEPTED && runs.get(submitter) == 0) {
                    notRun++;
                }
            }
            return notRun;
        }

        /** @return each submitter whose task ran other than it was told: once if accepted, never if rejected */
        List<String> brokenPromises() {
            List<String> broken = new ArrayList<>();
            for (int submitter = 0; submitter < outcomes.length; submitter++) {
                int ran = runs.get(submitter);
                switch (outcomes[submitter]) {
                    case ACCEPTED -> {
                        if (ran != 1) {
                            broken.add("submitter " + submitter + " was accepted but its task ran " + ran + " time(s)");
                        }
                    }
                    case REJECTED -> {
                        if (ran != 0) {
                            broken.add("submitter " + submitter + " was rejected but its task ran " + ran + " time(s)");
                        }
                    }
                    case FAILED -> broken.add("submitter " + submitter + " got " + failures[submitter]
                            + " instead of acceptance or a RejectedExecutionException");
                    case PENDING -> broken.add("submitter " + submitter + " never returned from execute()");
                }
            }
            return broken;
        }

        String outcomes() {
            List<String> told = new ArrayList<>();
            for (int submitter = 0; submitter < outcomes.length; submitter++) {
                told.add(outcomes[submitter].name().toLowerCase(Locale.ROOT) + ", ran " + runs.get(submitter));
            }
            return "submitters " + told;
        }
    }
}
