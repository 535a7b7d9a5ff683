package io.lazyworkqueue.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs a harness's measurement in a fresh JVM, so that one peer's heap, loaded classes and dead
 * threads do not count against the next: the same {@code java}, class path and JVM options as this
 * JVM, plus options of the harness's own.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * @param mainClass the class whose {@code main} runs in the child
     * @param jvmOptions JVM options added after this JVM's
     * @param args the arguments of {@code main}
     * @param isResult which of the lines the child prints are results; the others (whatever a
     * library printed) go to this JVM's standard error rather than being lost
     * @return the result lines, in the order printed
     * @throws IOException if the child cannot be started or read
     * @throws InterruptedException if interrupted while waiting for the child
     * @throws IllegalStateException if the child exits with a status other than 0
     */
    static List<String> run(Class<?> mainClass, List<String> jvmOptions, List<String> args, Predicate<String> isResult)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> results = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (isResult.test(line)) {
                    results.add(line);
                }
                else {
                    System.err.println(line);
                }
            }
        }
        int exit = child.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(mainClass.getSimpleName() + " " + String.join(" ", args)
                    + " failed in its child JVM (exit " + exit + ")");
        }
        return results;
    }
}
