package io.lazyworkqueue.benchmarks;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads the engine's package from the v1 jar only, and everything else (the JDK, JNA) from the
 * benchmarks' own class loader. The v2 engine on the class path has the same class names, so a
 * parent-first loader would hand v1's callers the v2 classes; an engine class the jar lacks fails
 * to load rather than mixing the two engines.
 */
final class EngineV1ClassLoader extends URLClassLoader {

    private static final String ENGINE_PACKAGE = "io.lazyworkqueue.";

    static {
        registerAsParallelCapable();
    }

    /**
     * @param jar the v1 engine's jar
     * @param parent where every class outside the engine's package comes from
     */
    EngineV1ClassLoader(URL jar, ClassLoader parent) {
        super("engine-v1", new URL[] { jar }, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(ENGINE_PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }
}
