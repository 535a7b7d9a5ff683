package io.lazyworkqueue.autoconfigure;

import java.util.Map;

import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link LazyWorkqueueTaskExecutor} bean per configured queue, named after it.
 *
 * <p>The beans are not default candidates: {@code @Async("name")} and {@code @Qualifier("name")}
 * find them, but they neither satisfy a plain {@code TaskExecutor} injection point nor make Spring
 * Boot's {@code applicationTaskExecutor}, which Spring MVC, WebFlux and GraphQL rely on, back off.
 */
final class QueueBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        // Only the names: the settings bind and are validated, all at once, with the properties bean.
        Map<String, Object> queues = Binder.get(environment)
            .bind("lazy-workqueue.queues", Bindable.mapOf(String.class, Object.class))
            .orElse(Map.of());
        for (String name : queues.keySet()) {
            QueueNames.check(name, registry);
            // LazyWorkqueueRegistry.get(name) on the auto-configuration's registry bean: a factory method, unlike
            // an instance supplier, is something AOT processing can write out as code.
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setFactoryBeanName("lazyWorkqueueRegistry");
            definition.setFactoryMethodName("get");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.setTargetType(LazyWorkqueueTaskExecutor.class);
            definition.setDefaultCandidate(false);
            registry.registerBeanDefinition(name, definition);
        }
    }
}
