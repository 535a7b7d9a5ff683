package io.lazyworkqueue.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.lazyworkqueue.CpuSelection;

import org.jspecify.annotations.Nullable;

/**
 * The v1 engine, as tagged {@code engine-v1}, loaded from its own jar by an
 * {@link EngineV1ClassLoader}, for the {@link Peer#LAZY_V1} peer. The benchmarks do not compile
 * against it: its classes bear the same names as the engine on the class path, so it is reached
 * through method handles looked up once, and its workqueues are used as the
 * {@link ExecutorService} that both engines implement.
 *
 * <p>{@code benchmarks/engine-v1.sh} builds the jar from the tag; {@value #JAR_PROPERTY} names it.
 */
final class EngineV1 {

    /** The system property that holds the v1 jar's path. */
    static final String JAR_PROPERTY = "lazyworkqueue.engine-v1.jar";

    private static final String HOW_TO_BUILD = "build it with benchmarks/engine-v1.sh and pass the path it prints as -D"
            + JAR_PROPERTY + "=<jar>, or use benchmarks/run.sh, which does both";

    private static final String ENGINE = "io.lazyworkqueue.";

    private static @Nullable EngineV1 loaded;

    private final MethodHandle builder;

    private final MethodHandle cpus;

    private final MethodHandle affinity;

    private final MethodHandle idleTimeout;

    private final MethodHandle cpuSelection;

    private final MethodHandle build;

    private final List<?> affinityModes;

    private final List<?> cpuSelections;

    private final MethodHandle executeOn;

    private final MethodHandle flush;

    private final MethodHandle snapshot;

    private final MethodHandle snapshotCpus;

    private final MethodHandle cpuThreads;

    private EngineV1(ClassLoader loader) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> workqueue = Class.forName(ENGINE + "LazyWorkqueue", true, loader);
        Class<?> builderClass = Class.forName(ENGINE + "LazyWorkqueue$Builder", true, loader);
        Class<?> affinityMode = Class.forName(ENGINE + "AffinityMode", true, loader);
        Class<?> cpuSelectionClass = Class.forName(ENGINE + "CpuSelection", true, loader);
        Class<?> workqueueSnapshot = Class.forName(ENGINE + "WorkqueueSnapshot", true, loader);
        Class<?> cpuSnapshot = Class.forName(ENGINE + "CpuSnapshot", true, loader);
        builder = lookup.findStatic(workqueue, "builder", MethodType.methodType(builderClass, String.class));
        cpus = lookup.findVirtual(builderClass, "cpus", MethodType.methodType(builderClass, String.class));
        affinity = lookup.findVirtual(builderClass, "affinity", MethodType.methodType(builderClass, affinityMode));
        idleTimeout = lookup.findVirtual(builderClass, "idleTimeout", MethodType.methodType(builderClass, Duration.class));
        cpuSelection = lookup.findVirtual(builderClass, "cpuSelection",
                MethodType.methodType(builderClass, cpuSelectionClass));
        build = lookup.findVirtual(builderClass, "build", MethodType.methodType(workqueue));
        affinityModes = Arrays.asList(affinityMode.getEnumConstants());
        cpuSelections = Arrays.asList(cpuSelectionClass.getEnumConstants());
        executeOn = lookup.findVirtual(workqueue, "executeOn",
                MethodType.methodType(void.class, int.class, Runnable.class));
        flush = lookup.findVirtual(workqueue, "flush", MethodType.methodType(void.class));
        snapshot = lookup.findVirtual(workqueue, "snapshot", MethodType.methodType(workqueueSnapshot));
        snapshotCpus = lookup.findVirtual(workqueueSnapshot, "cpus", MethodType.methodType(List.class));
        cpuThreads = lookup.findVirtual(cpuSnapshot, "threads", MethodType.methodType(List.class));
    }

    /**
     * @return the engine, loaded on first use
     * @throws IllegalStateException if {@value #JAR_PROPERTY} does not name a jar, saying how to
     * build one, or if the jar does not hold the v1 engine
     */
    static synchronized EngineV1 load() {
        if (loaded == null) {
            Optional<String> unavailable = unavailable(System.getProperty(JAR_PROPERTY));
            if (unavailable.isPresent()) {
                throw new IllegalStateException("the LAZY_V1 peer cannot run: " + unavailable.get());
            }
            Path jar = Path.of(System.getProperty(JAR_PROPERTY));
            try {
                loaded = new EngineV1(new EngineV1ClassLoader(jar.toUri().toURL(), EngineV1.class.getClassLoader()));
            }
            catch (MalformedURLException | ReflectiveOperationException ex) {
                throw new IllegalStateException("cannot load the v1 engine from " + jar + ": " + ex, ex);
            }
        }
        return loaded;
    }

    /** @return why the v1 engine cannot be loaded in this JVM, or empty if it can */
    static Optional<String> unavailable() {
        return unavailable(System.getProperty(JAR_PROPERTY));
    }

    /**
     * @param jar the value of {@value #JAR_PROPERTY}, or {@code null} if it is not set
     * @return why the v1 engine cannot be loaded from it, and how to build it; empty if the jar exists
     */
    static Optional<String> unavailable(@Nullable String jar) {
        if (jar == null || jar.isBlank()) {
            return Optional.of("the v1 engine's jar is not set (-D" + JAR_PROPERTY + "): " + HOW_TO_BUILD);
        }
        if (!Files.isRegularFile(Path.of(jar))) {
            return Optional.of("the v1 engine's jar " + jar + " does not exist: " + HOW_TO_BUILD);
        }
        return Optional.empty();
    }

    /**
     * Builds a v1 workqueue as {@link PeerSettings#lazyWorkqueue} builds one of the engine on the
     * class path, with the v1 default CPU selection, {@code LOCAL}.
     * @param name the workqueue's name
     * @param settings the CPUs, affinity and idle timeout
     * @return the started workqueue
     */
    WorkqueueV1 open(String name, PeerSettings settings) {
        return open(name, settings, CpuSelection.LOCAL);
    }

    /**
     * @param name the workqueue's name
     * @param settings the CPUs, affinity and idle timeout
     * @param selection how {@code execute} picks a CPU
     * @return the started workqueue
     */
    WorkqueueV1 open(String name, PeerSettings settings, CpuSelection selection) {
        String cpulist = String.join(",", settings.cpus().stream().mapToObj(String::valueOf).toList());
        try {
            Object building = builder.invoke(name);
            building = cpus.invoke(building, cpulist);
            building = affinity.invoke(building, constant(affinityModes, settings.affinity()));
            building = idleTimeout.invoke(building, settings.idleTimeout());
            building = cpuSelection.invoke(building, constant(cpuSelections, selection));
            Object workqueue = build.invoke(building);
            return new WorkqueueV1((ExecutorService) workqueue, executeOn.bindTo(workqueue), flush.bindTo(workqueue),
                    snapshot.bindTo(workqueue), snapshotCpus, cpuThreads);
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException("cannot build a v1 workqueue: " + ex, ex);
        }
    }

    /** @return v1's constant of the same name as {@code constant}, one of the class path's engine */
    private static Object constant(List<?> v1Constants, Enum<?> constant) {
        return v1Constants.stream().filter(v1 -> ((Enum<?>) v1).name().equals(constant.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the v1 engine has no " + constant));
    }
}
