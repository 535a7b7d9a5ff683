package io.lazyworkqueue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import com.sun.jna.Native;

/**
 * A child JVM that runs as user nobody, so that the kernel enforces RLIMIT_NPROC on it (it
 * ignores the limit for root), and whose limit the test lowers and restores with {@code prlimit}
 * while it runs. Its classpath is a copy, readable by nobody, of the engine's classes, the test
 * classes and JNA. It talks in lines: {@link #send} writes to its standard input, {@link #await}
 * reads the lines it prints with {@link ThreadLimitScenario#PREFIX}.
 */
final class ThreadLimitedJvm implements AutoCloseable {

    private static final int NOBODY = 65534;

    private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    private static final String END_OF_OUTPUT = "\0end";

    private final Path home;

    private final Process process;

    private final Writer input;

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private final List<String> transcript = new ArrayList<>();

    private final long deadlineNanos;

    private @Nullable String restoreLimit;

    private ThreadLimitedJvm(Path home, Process process, Duration timeout) {
        this.home = home;
        this.process = process;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        Thread reader = new Thread(this::readOutput, "thread-limited-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** @return why a thread-limited child cannot run here, or {@code null} if it can */
    static @Nullable String unavailableReason() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "RLIMIT_NPROC and prlimit are Linux's; this is " + os;
        }
        String uid = realUid();
        if (!"0".equals(uid)) {
            return "only root can run a child as user nobody and change its RLIMIT_NPROC; this runs as uid " + uid;
        }
        for (String tool : List.of("setpriv", "prlimit")) {
            if (tool(tool) == null) {
                return "'" + tool + "' (util-linux) is not in " + SEARCH_PATH;
            }
        }
        return null;
    }

    /**
     * Starts the child as user nobody, without a thread limit yet.
     * @param main the child's main class, in the test classes
     * @param timeout how long the whole conversation with the child may take
     * @param args the main class's arguments
     */
    static ThreadLimitedJvm start(Class<?> main, Duration timeout, String... args) throws IOException {
        Path home = Files.createTempDirectory(Path.of("/tmp"), "thread-limited-jvm-");
        try {
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> classpath = new ArrayList<>();
            for (Class<?> from : List.of(LazyWorkqueue.class, main, Native.class)) {
                Path source = codeSource(from);
                Path copy = home.resolve("classpath-" + classpath.size() + (Files.isDirectory(source) ? "" : ".jar"));
                copyReadable(source, copy);
                classpath.add(copy.toString());
            }
            Path scratch = Files.createDirectory(home.resolve("scratch"));
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
            List<String> command = new ArrayList<>(nobody());
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // Every thread the JVM needs exists before the limit: no thread pools that
                    // grow on demand, no attach listener.
                    "-XX:+UseSerialGC", "-XX:-UseDynamicNumberOfCompilerThreads", "-XX:+DisableAttachMechanism",
                    "-XX:-UsePerfData", "-Xmx128m",
                    // The JVM's own warnings (a thread that could not start) go to standard error.
                    "-Xlog:disable", "-Xlog:all=warning:stderr",
                    "-Djava.io.tmpdir=" + scratch, "-Djna.tmpdir=" + scratch,
                    "-cp", String.join(":", classpath), main.getName()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).directory(scratch.toFile())
                .redirectError(home.resolve("stderr.txt").toFile())
                .start();
            return new ThreadLimitedJvm(home, process, timeout);
        }
        catch (IOException | RuntimeException ex) {
            deleteQuietly(home);
            throw ex;
        }
    }

    /**
     * Lowers the child's soft RLIMIT_NPROC to one: nobody already has more threads than that, so
     * no thread of the child can start, whatever other threads exit meanwhile.
     */
    void forbidNewThreads() {
        String[] current = prlimit("--nproc", "--output=SOFT", "--noheadings", "--raw").trim().split("\\s+");
        restoreLimit = "--nproc=" + current[0] + ":";
        prlimit("--nproc=1:");
    }

    /** Gives the child back the soft RLIMIT_NPROC it had before {@link #forbidNewThreads}. */
    void restoreThreadLimit() {
        if (restoreLimit == null) {
            throw new IllegalStateException("no limit was set");
        }
        prlimit(restoreLimit);
    }

    void send(String line) throws IOException {
        input.write(line + "\n");
        input.flush();
    }

    /**
     * Waits for the child's next line that starts with the word, skipping others.
     * @return the line, without the prefix
     * @throws AssertionError if the child ends or the conversation's time runs out first
     */
    String await(String word) throws InterruptedException {
        for (;;) {
            String line = lines.poll(Math.max(deadlineNanos - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END_OF_OUTPUT)) {
                throw new AssertionError("the child JVM " + (line == null ? "did not answer in time" : "ended")
                        + " while the test waited for '" + word + "'\n" + transcript());
            }
            if (line.startsWith(word + " ") || line.equals(word)) {
                return line;
            }
        }
    }

    /** @return everything the child printed so far */
    String output() {
        StringBuilder text = new StringBuilder("child output:\n");
        synchronized (transcript) {
            transcript.forEach(line -> text.append("  ").append(line).append('\n'));
        }
        return text.toString();
    }

    /** @return everything the child printed so far, and the end of its standard error */
    String transcript() {
        StringBuilder text = new StringBuilder(output()).append("child standard error (end):\n");
        try {
            List<String> errors = Files.readAllLines(home.resolve("stderr.txt"));
            errors.subList(Math.max(errors.size() - 20, 0), errors.size())
                .forEach(line -> text.append("  ").append(line).append('\n'));
        }
        catch (IOException ex) {
            text.append("  (unreadable: ").append(ex).append(")\n");
        }
        return text.toString();
    }

    @Override
    public void close() {
        try {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            // Thrown from close(), it could end up suppressed behind the test's own failure, and the interrupt lost.
            Thread.currentThread().interrupt();
        }
        finally {
            deleteQuietly(home);
        }
    }

    private void readOutput() {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                synchronized (transcript) {
                    transcript.add(line);
                }
                if (line.startsWith(ThreadLimitScenario.PREFIX)) {
                    lines.add(line.substring(ThreadLimitScenario.PREFIX.length()));
                }
            }
        }
        catch (IOException ex) {
            synchronized (transcript) {
                transcript.add("(reading failed: " + ex + ")");
            }
        }
        finally {
            lines.add(END_OF_OUTPUT);
        }
    }

    /**
     * Runs prlimit on the child as user nobody too: root may lack CAP_SYS_RESOURCE (it does in
     * some containers), without which only a process of the same user may read or change the
     * child's limits. A user may raise a soft limit again up to the hard one, which stays as it is.
     */
    private String prlimit(String... options) {
        List<String> command = new ArrayList<>(nobody());
        command.addAll(List.of(tool("prlimit"), "--pid", Long.toString(process.pid())));
        command.addAll(List.of(options));
        try {
            Process prlimit = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!prlimit.waitFor(10, TimeUnit.SECONDS) || prlimit.exitValue() != 0) {
                prlimit.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, ex);
        }
    }

    /** @return the start of a command line that runs the rest as user and group nobody, without capabilities */
    private static List<String> nobody() {
        return List.of(tool("setpriv"), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");
    }

    private static @Nullable String tool(String name) {
        return SEARCH_PATH.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable)
            .map(Path::toString).findFirst().orElse(null);
    }

    private static String realUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Uid:"))
                .map(line -> line.substring("Uid:".length()).trim().split("\\s+")[0])
                .findFirst()
                .orElse("unknown");
        }
        catch (IOException ex) {
            return "unknown (" + ex + ")";
        }
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException("cannot locate the classes of " + type, ex);
        }
    }

    /** Copies a class directory or jar so that every user can read it. */
    private static void copyReadable(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                else {
                    Files.copy(source, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            // Left in /tmp; nothing depends on it.
        }
    }
}
