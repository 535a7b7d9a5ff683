package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.Compiled;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A context processed ahead of time, as {@code spring-boot:process-aot} does, then compiled and started from the
 * generated code alone. The forked class loader puts the generated code in the packages of the classes it calls.
 */
@CompileWithForkedClassLoader
class AotProcessingTests {

    private static final TestPropertyValues PROPERTIES = TestPropertyValues.of(
            "lazy-workqueue.queues.percpu.idle-timeout=5s", "lazy-workqueue.queues.blocking-io.max-active=2",
            "lazy-workqueue.queues.blocking-io.affinity=none",
            "management.endpoints.web.exposure.include=workqueues");

    @Test
    void anAotProcessedContextHasEveryQueueByNameRunningTasksAndNoneADefaultCandidate() {
        TestGenerationContext generationContext = new TestGenerationContext();
        ClassName initializer = processAheadOfTime(generationContext);

        TestCompiler.forSystem().with(generationContext).compile(compiled -> {
            try (GenericApplicationContext context = start(compiled, initializer)) {
                LazyWorkqueueRegistry registry = context.getBean(LazyWorkqueueRegistry.class);
                assertThat(registry.getNames()).containsExactly("percpu", "blocking-io");
                for (String name : registry.getNames()) {
                    LazyWorkqueueTaskExecutor queue = context.getBean(name, LazyWorkqueueTaskExecutor.class);
                    assertThat(queue).isSameAs(registry.get(name));
                    assertThat(((AbstractBeanDefinition) context.getBeanDefinition(name)).isDefaultCandidate()).isFalse();
                    assertRunsTasks(queue);
                }
                InjectionPoints injected = context.getBean(InjectionPoints.class);
                assertThat(injected.plain).isSameAs(context.getBean("applicationTaskExecutor"));
                assertThat(injected.qualified).isSameAs(registry.get("percpu"));
            }
        });
    }

    @Test
    void anAotProcessedContextBindsTheQueuesSettingsWhenItStarts() {
        TestGenerationContext generationContext = new TestGenerationContext();
        ClassName initializer = processAheadOfTime(generationContext);

        TestCompiler.forSystem().with(generationContext).compile(compiled -> {
            try (GenericApplicationContext context = start(compiled, initializer,
                    "lazy-workqueue.queues.percpu.idle-timeout=7s")) {
                assertThat(context.getBean("percpu", LazyWorkqueueTaskExecutor.class).getWorkqueue().config()
                    .idleTimeout()).isEqualTo(Duration.ofSeconds(7));
            }
        });
    }

    @Test
    void aotProcessingRegistersTheHintsForJnaAndTheEndpointsResponses() {
        TestGenerationContext generationContext = new TestGenerationContext();
        processAheadOfTime(generationContext);
        RuntimeHints hints = generationContext.getRuntimeHints();

        assertThat(hints.reflection().getTypeHint(LazyWorkqueueRuntimeHints.LINUX_AFFINITY)).isNotNull();
        assertThat(hints.jni().getTypeHint(LazyWorkqueueRuntimeHints.LAST_ERROR_EXCEPTION)).isNotNull();
        LazyWorkqueueRuntimeHintsTests.assertEveryResponseTypeIsBindable(hints);
    }

    private static ClassName processAheadOfTime(TestGenerationContext generationContext) {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            PROPERTIES.applyTo(context);
            context.register(LazyWorkqueueTaskExecutorBuilderAutoConfiguration.class, LazyWorkqueueAutoConfiguration.class,
                    LazyWorkqueueEndpointAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class, InjectionPoints.class);
            ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
            generationContext.writeGeneratedContent();
            return initializer;
        }
    }

    private static GenericApplicationContext start(Compiled compiled, ClassName initializerName,
            String... runTimeProperties) {
        GenericApplicationContext context = new GenericApplicationContext();
        PROPERTIES.and(runTimeProperties).applyTo(context);
        initializer(compiled, initializerName).initialize(context);
        context.refresh();
        return context;
    }

    @SuppressWarnings("unchecked")
    private static ApplicationContextInitializer<GenericApplicationContext> initializer(Compiled compiled,
            ClassName name) {
        return compiled.getInstance(ApplicationContextInitializer.class, name.toString());
    }

    private static void assertRunsTasks(LazyWorkqueueTaskExecutor queue) {
        int tasks = 20;
        CountDownLatch ran = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            queue.execute(ran::countDown);
        }
        try {
            assertThat(ran.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)).as(queue + " ran its tasks")
                .isTrue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    static final class InjectionPoints {

        final TaskExecutor plain;

        final TaskExecutor qualified;

        InjectionPoints(TaskExecutor plain, @Qualifier("percpu") TaskExecutor qualified) {
            this.plain = plain;
            this.qualified = qualified;
        }
    }
}
