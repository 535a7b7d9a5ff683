package io.lazyworkqueue.autoconfigure;

import java.lang.reflect.RecordComponent;
import java.util.Set;

import io.lazyworkqueue.actuate.WorkqueuesEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LazyWorkqueueRuntimeHintsTests {

    @Test
    void jnasDirectMappedAffinityClassIsReachableByReflectionAndJni() {
        RuntimeHints hints = registered();

        assertThat(RuntimeHintsPredicates.reflection().onType(LazyWorkqueueRuntimeHints.LINUX_AFFINITY)
            .withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(hints);
        assertThat(hints.jni().getTypeHint(LazyWorkqueueRuntimeHints.LINUX_AFFINITY).getMemberCategories())
            .contains(MemberCategory.INVOKE_DECLARED_METHODS);
    }

    @Test
    void jnaCanMakeItsLastErrorExceptionFromNativeCode() {
        RuntimeHints hints = registered();

        assertThat(RuntimeHintsPredicates.reflection().onType(LazyWorkqueueRuntimeHints.LAST_ERROR_EXCEPTION)
            .withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(hints);
        assertThat(hints.jni().getTypeHint(LazyWorkqueueRuntimeHints.LAST_ERROR_EXCEPTION).getMemberCategories())
            .contains(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
    }

    @Test
    void jnasNativeLibraryOfEveryPlatformIsAResource() {
        RuntimeHints hints = registered();

        assertThat(RuntimeHintsPredicates.resource().forResource("com/sun/jna/linux-x86-64/libjnidispatch.so"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("com/sun/jna/linux-aarch64/libjnidispatch.so"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("com/sun/jna/darwin-aarch64/libjnidispatch.jnilib"))
            .accepts(hints);
    }

    @Test
    void theHintsAreRegisteredForAotProcessing() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
            .load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(LazyWorkqueueRuntimeHints.class);
    }

    @Test
    void springBootsEndpointProcessingMakesEveryResponseTypeOfTheEndpointBindable() {
        RuntimeHints hints = new RuntimeHints();
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, WorkqueuesEndpoint.class);

        assertEveryResponseTypeIsBindable(hints);
    }

    static void assertEveryResponseTypeIsBindable(RuntimeHints hints) {
        Set<Class<?>> types = EndpointResponseTypes.of(WorkqueuesEndpoint.class);
        assertThat(types).isNotEmpty();
        for (Class<?> type : types) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(hints);
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
                        .as(component.getAccessor().toString())
                        .accepts(hints);
                }
            }
        }
    }

    private static RuntimeHints registered() {
        RuntimeHints hints = new RuntimeHints();
        new LazyWorkqueueRuntimeHints().registerHints(hints, LazyWorkqueueRuntimeHintsTests.class.getClassLoader());
        return hints;
    }
}
