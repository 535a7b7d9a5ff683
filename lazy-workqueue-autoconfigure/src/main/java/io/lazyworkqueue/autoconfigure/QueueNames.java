package io.lazyworkqueue.autoconfigure;

import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;

/** The rules for queue names, which become bean names and {@code @Async} qualifiers. */
final class QueueNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /** Executor beans that Spring Boot and Spring register under these names themselves. */
    private static final Set<String> RESERVED = Set.of("applicationTaskExecutor", "taskExecutor", "taskScheduler",
            "bootstrapExecutor");

    private QueueNames() {
    }

    static void check(String name, BeanDefinitionRegistry registry) {
        String property = "lazy-workqueue.queues." + name;
        if (!VALID.matcher(name).matches()) {
            throw new InvalidWorkqueueConfigurationException(property, name,
                    "the queue name is not a valid bean name: it must start with a letter and hold only letters,"
                            + " digits, '-' and '_'",
                    "Rename the queue under lazy-workqueue.queues, for example to 'rpciod' or 'blocking-io'.");
        }
        if (RESERVED.contains(name) || registry.containsBeanDefinition(name)) {
            throw new InvalidWorkqueueConfigurationException(property, name,
                    "the queue's bean name '" + name + "' is already taken by another bean",
                    "Rename the queue under lazy-workqueue.queues to a name no other bean uses.");
        }
    }
}
