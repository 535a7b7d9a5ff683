package io.lazyworkqueue.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The events of one Logback logger during each test, kept from the console so that a test that provokes a
 * warning or an error asserts it instead of printing it into the build output. A test that never asks for
 * the events gets them printed after it, as if nothing had captured them: a log nobody expected still shows.
 * <p>
 * Spring Boot resets Logback when an application it starts sets up logging, which takes the capture off
 * again: a test that starts one passes {@link #reattachOnStart()} to it.
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {

    private final Logger logger;

    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    private volatile boolean read;

    private CapturedLog(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        this.appender.setName("captured-" + name);
    }

    /**
     * @param source the class whose logger to capture, named after it as Spring's and Commons Logging's are
     * @return the capture, to register with {@code @RegisterExtension}
     */
    public static CapturedLog of(Class<?> source) {
        return of(source.getName());
    }

    /**
     * @param name the name of the logger to capture, for a class the test cannot see
     * @return the capture, to register with {@code @RegisterExtension}
     */
    public static CapturedLog of(String name) {
        return new CapturedLog(name);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        events.clear();
        read = false;
        appender.setContext(logger.getLoggerContext());
        attach();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logger.detachAppender(appender);
        logger.setAdditive(true);
        appender.stop();
        if (!read) {
            events.forEach(logger::callAppenders);
        }
    }

    /** @return a listener that captures again once the application's logging is set up */
    public ApplicationListener<ApplicationPreparedEvent> reattachOnStart() {
        return event -> attach();
    }

    /** @return the events logged so far in this test, oldest first */
    public List<ILoggingEvent> events() {
        read = true;
        return List.copyOf(events);
    }

    // A reset detaches and stops every appender.
    private void attach() {
        appender.start();
        if (!logger.isAttached(appender)) {
            logger.addAppender(appender);
        }
        logger.setAdditive(false);
    }
}
