package io.lazyworkqueue.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import io.lazyworkqueue.AffinityMode;
import io.lazyworkqueue.CpuSelection;
import io.lazyworkqueue.CpuSet;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueProperties.Queue;
import org.jspecify.annotations.Nullable;

import org.springframework.validation.BindingResult;
import org.springframework.validation.Errors;

/**
 * Finds every invalid setting of bound {@code lazy-workqueue.*} properties, with the rules the
 * engine enforces, so that one start-up failure lists them all in property words. A value is
 * checked where it is written; rules between settings are checked per queue on the values it
 * runs with, wherever each comes from.
 */
final class PropertiesValidation {

    private static final String PREFIX = "lazy-workqueue.";

    private final LazyWorkqueueProperties properties;

    /** By key and reason: a default that breaks a rule for several queues alike is reported once. */
    private final Map<String, Rejection> rejections = new LinkedHashMap<>();

    PropertiesValidation(LazyWorkqueueProperties properties) {
        this.properties = properties;
    }

    void rejectInvalid(Errors errors) {
        checkEach(QueueSettings.DEFAULTS, properties.getDefaults(), "the queue's name and a slash");
        properties.getQueues()
            .forEach((name, queue) -> checkEach(QueueSettings.prefix(name), queue, "'" + name + "/'"));
        checkDefaultQueue();
        properties.getQueues()
            .forEach((name, queue) -> checkTogether(new QueueSettings(name, queue, properties.getDefaults())));
        rejections.values().forEach(rejection -> rejection.addTo(errors));
    }

    private void checkEach(String prefix, Queue queue, String defaultPrefix) {
        check(prefix + "idle-timeout", queue.getIdleTimeout(), PropertiesValidation::notPositive,
                "idle-timeout must be a positive duration", "Set %s to a positive duration, such as 10s.");
        check(prefix + "max-active", queue.getMaxActive(), maxActive -> maxActive < 1,
                "max-active must be at least 1", "Set %s to 1 or more.");
        check(prefix + "queue-capacity", queue.getQueueCapacity(), capacity -> capacity < 1,
                "queue-capacity must be at least 1",
                "Set %s to a positive number, or remove it for an unbounded queue.");
        check(prefix + "watchdog-threshold", queue.getWatchdogThreshold(), Duration::isNegative,
                "watchdog-threshold must not be negative",
                "Set %s to a positive duration such as 30s, or to 0 to turn the watchdog off.");
        check(prefix + "concurrency-threshold", queue.getConcurrencyThreshold(), PropertiesValidation::notPositive,
                "concurrency-threshold must be a positive duration",
                "Set %s to a positive duration, such as 10ms.");
        check(prefix + "thread-name-prefix", queue.getThreadNamePrefix(),
                threadNamePrefix -> threadNamePrefix.isBlank()
                        || threadNamePrefix.chars().anyMatch(Character::isISOControl),
                "thread-name-prefix must not be blank and must hold no control characters such as line breaks or"
                        + " tabs",
                "Set %s to a prefix that is not blank and holds no control characters, or remove it to use "
                        + defaultPrefix + ".");
        check(prefix + "shutdown.await-termination-period", queue.getShutdown().getAwaitTerminationPeriod(),
                Duration::isNegative, "shutdown.await-termination-period must not be negative",
                "Set %s to zero or a positive duration, such as 30s.");
    }

    private void checkDefaultQueue() {
        String defaultQueue = properties.getDefaultQueue();
        if (defaultQueue != null && !properties.getQueues().containsKey(defaultQueue)) {
            reject(PREFIX + "default-queue", defaultQueue, "there is no queue named '" + defaultQueue + "'",
                    "Set lazy-workqueue.default-queue to one of the queues " + properties.getQueues().keySet()
                            + ", or remove it to let plain @Async methods run on Spring Boot's"
                            + " applicationTaskExecutor.");
        }
    }

    private void checkTogether(QueueSettings queue) {
        Setting<Integer> maxActive = queue.maxActive();
        Setting<CpuSelection> cpuSelection = queue.cpuSelection();
        if (cpuSelection.value() == CpuSelection.ORDERED && maxActive.value() != null && maxActive.value() > 1) {
            reject(maxActive.key(), maxActive.value(), "max-active " + maxActive.value()
                    + " is not allowed with cpu-selection ordered (" + cpuSelection.key()
                    + "), which runs one task at a time",
                    "Set " + maxActive.key() + " to 1, or set " + cpuSelection.key() + " to local or round-robin.");
        }
        CpuSet allowed = CpuSet.allowed();
        Setting<CpuSet> cpus = queue.cpus();
        Setting<AffinityMode> affinity = queue.affinity();
        CpuSet queueCpus = cpus.value();
        if (queueCpus != null && affinity.value() != AffinityMode.NONE && !allowed.containsAll(queueCpus)) {
            reject(cpus.key(), queueCpus, "cpus " + CpuSet.of(queueCpus.stream().filter(cpu -> !allowed.contains(cpu))
                .toArray()) + " of queue '" + queue.name() + "' are not CPUs this process may use (" + allowed
                    + "), and affinity strict"
                    + (affinity.key() != null ? " (" + affinity.key() + ")" : ", the default,")
                    + " pins threads to them",
                    "Use CPUs from " + allowed + " in " + cpus.key() + ", or set " + queue.key("affinity")
                            + " to none to run unpinned queues for CPU ids the machine lacks.");
        }
        Setting<Integer> coreCpu = queue.coreCpu();
        CpuSet resolvedCpus = queueCpus != null ? queueCpus : allowed;
        if (coreCpu.value() != null && !resolvedCpus.contains(coreCpu.value())) {
            reject(coreCpu.key(), coreCpu.value(), "core-cpu " + coreCpu.value() + " is not one of the CPUs of queue '"
                    + queue.name() + "' (" + resolvedCpus
                    + (cpus.key() != null ? ", from " + cpus.key() : ", every CPU the process may use") + ")",
                    "Set " + coreCpu.key() + " to one of the queue's CPUs, or remove it to use the first of them.");
        }
    }

    private <T> void check(String key, @Nullable T value, Predicate<T> invalid, String reason, String action) {
        if (value != null && invalid.test(value)) {
            reject(key, value, reason, action.formatted(key));
        }
    }

    private void reject(@Nullable String key, Object value, String reason, String action) {
        if (key != null) {
            rejections.putIfAbsent(key + '\n' + reason, new Rejection(key, value, reason, action));
        }
    }

    private static boolean notPositive(Duration duration) {
        return duration.isNegative() || duration.isZero();
    }

    private record Rejection(String key, Object value, String reason, String action) {

        void addTo(Errors errors) {
            if (errors instanceof BindingResult result && key.startsWith(PREFIX)) {
                result.addError(new InvalidProperty(result.getObjectName(), key.substring(PREFIX.length()), value,
                        reason, action));
            }
            else {
                errors.reject("lazyWorkqueue.invalid", key + ": " + reason);
            }
        }
    }
}
