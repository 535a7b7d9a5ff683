package io.lazyworkqueue;

import java.util.List;

/** What threads the JVM has, for tests that count a workqueue's threads from outside. */
final class Threads {

    /** The name of the manager thread. */
    static final String MANAGER = Manager.THREAD_NAME;

    private Threads() {
    }

    /** @return the names of live threads whose names start with the prefix */
    static List<String> named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(name -> name.startsWith(prefix))
            .sorted()
            .toList();
    }
}
