package io.lazyworkqueue;

import java.util.Locale;

/** Picks the platform's {@link Affinity} once, on first use. */
final class AffinityHolder {

    static final Affinity INSTANCE = load();

    private AffinityHolder() {
    }

    private static Affinity load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return new UnpinnedAffinity("CPU pinning is implemented for Linux only, this is " + os);
        }
        if (!"64".equals(System.getProperty("sun.arch.data.model"))) {
            return new UnpinnedAffinity("CPU pinning needs a 64-bit JVM");
        }
        try {
            Class.forName("com.sun.jna.Native", false, AffinityHolder.class.getClassLoader());
        }
        catch (ClassNotFoundException ex) {
            return new UnpinnedAffinity("JNA (net.java.dev.jna:jna) is not on the classpath");
        }
        try {
            LinuxAffinity affinity = new LinuxAffinity();
            affinity.allowedCpus();
            return affinity;
        }
        catch (LinkageError | RuntimeException ex) {
            return new UnpinnedAffinity("the C library's affinity calls could not be loaded: " + ex);
        }
    }
}
