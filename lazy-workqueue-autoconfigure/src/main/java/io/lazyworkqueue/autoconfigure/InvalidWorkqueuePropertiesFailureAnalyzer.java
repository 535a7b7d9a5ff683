package io.lazyworkqueue.autoconfigure;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;

/**
 * Reports every {@code lazy-workqueue.*} setting that validation rejected, each with the value as
 * written and its origin from the bound property, and an action of its own. Ordered first so that
 * it, not Spring Boot's generic bind-validation report with its single action, describes them.
 */
final class InvalidWorkqueuePropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException>
        implements Ordered {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
        Set<ConfigurationProperty> bound = cause.getValidationErrors().getBoundProperties();
        List<Problem> problems = cause.getValidationErrors()
            .getAllErrors()
            .stream()
            .filter(InvalidProperty.class::isInstance)
            .map(InvalidProperty.class::cast)
            .map(error -> problem(error, bound))
            .toList();
        return problems.isEmpty() ? null : ProblemReport.of(problems, cause);
    }

    private static Problem problem(InvalidProperty error, Set<ConfigurationProperty> bound) {
        String key = error.getObjectName() + "." + error.getField();
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
        ConfigurationProperty written = bound.stream()
            .filter(property -> property.getName().equals(name))
            .findFirst()
            .orElse(null);
        Object value = written != null ? written.getValue() : error.getRejectedValue();
        Origin origin = written != null ? Origin.from(written) : null;
        return new Problem(key, String.valueOf(value), origin, String.valueOf(error.getDefaultMessage()),
                error.getAction());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
