package io.lazyworkqueue.spring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Every workqueue of the application, by name. */
public final class LazyWorkqueueRegistry {

    private final Map<String, LazyWorkqueueTaskExecutor> executors;

    /**
     * @param executors the executors by queue name, in the order they are listed in
     */
    public LazyWorkqueueRegistry(Map<String, LazyWorkqueueTaskExecutor> executors) {
        this.executors = Collections.unmodifiableMap(new LinkedHashMap<>(executors));
    }

    /** @return the queue names, in configuration order */
    public Set<String> getNames() {
        return executors.keySet();
    }

    /** @return the executors by queue name, in configuration order */
    public Map<String, LazyWorkqueueTaskExecutor> getExecutors() {
        return executors;
    }

    /**
     * @param name a queue name
     * @return its executor
     * @throws IllegalArgumentException if there is no queue of that name
     */
    public LazyWorkqueueTaskExecutor get(String name) {
        LazyWorkqueueTaskExecutor executor = executors.get(name);
        if (executor == null) {
            throw new IllegalArgumentException("No workqueue named '" + name + "'; the workqueues are " + getNames());
        }
        return executor;
    }
}
