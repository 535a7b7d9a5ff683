package io.lazyworkqueue.benchmarks;

import java.nio.file.Path;

import io.lazyworkqueue.LazyWorkqueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EngineV1ClassLoaderTests {

    @Test
    void neverTakesAnEngineClassFromItsParentButTakesEveryOtherClassFromThere(@TempDir Path empty) throws Exception {
        ClassLoader parent = EngineV1ClassLoaderTests.class.getClassLoader();
        try (EngineV1ClassLoader loader = new EngineV1ClassLoader(empty.toUri().toURL(), parent)) {
            assertThatExceptionOfType(ClassNotFoundException.class)
                    .isThrownBy(() -> loader.loadClass(LazyWorkqueue.class.getName()));
            assertThat(loader.loadClass("com.sun.jna.Native")).isSameAs(parent.loadClass("com.sun.jna.Native"));
            assertThat(loader.loadClass(String.class.getName())).isSameAs(String.class);
        }
    }
}
