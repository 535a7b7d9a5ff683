package io.lazyworkqueue.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.core.ResolvableType;

/**
 * The types an endpoint answers with, found as a JSON writer finds them: the return types of its read
 * operations and, recursively, their type arguments and record components. JDK types are left out.
 */
final class EndpointResponseTypes {

    private EndpointResponseTypes() {
    }

    static Set<Class<?>> of(Class<?> endpoint) {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (Method method : endpoint.getMethods()) {
            if (method.isAnnotationPresent(ReadOperation.class)) {
                collect(method.getGenericReturnType(), found);
            }
        }
        return found;
    }

    private static void collect(Type type, Set<Class<?>> found) {
        ResolvableType resolvable = ResolvableType.forType(type);
        for (ResolvableType generic : resolvable.getGenerics()) {
            collect(generic.getType(), found);
        }
        Class<?> resolved = resolvable.resolve();
        if (resolved == null) {
            return;
        }
        if (resolved.isArray()) {
            collect(resolved.getComponentType(), found);
            return;
        }
        if (resolved.isPrimitive() || resolved.getName().startsWith("java.") || !found.add(resolved)) {
            return;
        }
        if (resolved.isRecord()) {
            for (RecordComponent component : resolved.getRecordComponents()) {
                collect(component.getGenericType(), found);
            }
        }
    }
}
