package io.lazyworkqueue.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image needs for CPU pinning through JNA. The endpoint's response types need nothing
 * here: Spring Boot registers binding hints for the return types of every {@code @ReadOperation}.
 */
final class LazyWorkqueueRuntimeHints implements RuntimeHintsRegistrar {

    /** Binds its native methods with JNA direct mapping, which finds them by reflection and links them by JNI. */
    static final TypeReference LINUX_AFFINITY = TypeReference.of("io.lazyworkqueue.LinuxAffinity");

    /** Made by JNA's native code, through JNI, when a native call sets errno. */
    static final TypeReference LAST_ERROR_EXCEPTION = TypeReference.of("com.sun.jna.LastErrorException");

    /** JNA's native library, one per platform, which it extracts from its jar. */
    static final String JNA_DISPATCH_LIBRARY = "com/sun/jna/**/libjnidispatch.*";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.reflection().registerType(LINUX_AFFINITY, MemberCategory.INVOKE_DECLARED_METHODS);
        hints.jni().registerType(LINUX_AFFINITY, MemberCategory.INVOKE_DECLARED_METHODS);
        hints.reflection().registerType(LAST_ERROR_EXCEPTION, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        hints.jni().registerType(LAST_ERROR_EXCEPTION, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        hints.resources().registerPattern(JNA_DISPATCH_LIBRARY);
    }
}
