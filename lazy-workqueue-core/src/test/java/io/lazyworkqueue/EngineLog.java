package io.lazyworkqueue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The records of the engine's logger during each test, kept from the console so that a test that provokes a
 * warning or an error asserts it instead of printing it into the build output. The engine logs through
 * {@link System.Logger}, which java.util.logging serves; the records are taken there, before Spring Boot's
 * bridge to SLF4J, which comes and goes with the applications the tests start. A test that never asks for
 * the records gets them printed after it, as if nothing had captured them: a log nobody expected still shows.
 */
public final class EngineLog implements BeforeEachCallback, AfterEachCallback {

    // Held for as long as the handler is installed: java.util.logging keeps loggers only weakly.
    private final Logger logger = Logger.getLogger(LazyWorkqueue.class.getName());

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private final Handler handler = new Handler() {

        @Override
        public void publish(LogRecord record) {
            // The caller is found lazily; found later, it would be whoever prints the record.
            record.getSourceClassName();
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private volatile boolean read;

    @Override
    public void beforeEach(ExtensionContext context) {
        records.clear();
        read = false;
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(true);
        if (!read) {
            records.forEach(logger::log);
        }
    }

    /** @return the records logged so far in this test, oldest first */
    public List<LogRecord> records() {
        read = true;
        return List.copyOf(records);
    }
}
