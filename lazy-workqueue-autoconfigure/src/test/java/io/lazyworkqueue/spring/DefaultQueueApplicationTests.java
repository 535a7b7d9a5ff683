package io.lazyworkqueue.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;

/** With a default queue, plain {@code @Async} methods run on it, and Boot's executor stays. */
@SpringBootTest(properties = { "lazy-workqueue.queues.events.affinity=none", "lazy-workqueue.default-queue=events" })
class DefaultQueueApplicationTests {

    @Autowired
    private PlainAsync plainAsync;

    @Autowired
    private ApplicationContext context;

    @Test
    void plainAsyncMethodsRunOnTheDefaultQueue() throws Exception {
        assertThat(plainAsync.threadName().get(10, TimeUnit.SECONDS)).startsWith("events/");
        assertThat(context.containsBean("applicationTaskExecutor")).isTrue();
    }

    @SpringBootApplication
    @EnableAsync
    static class App {

        @Bean
        PlainAsync plainAsync() {
            return new PlainAsync();
        }
    }

    static class PlainAsync {

        @Async
        public CompletableFuture<String> threadName() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }
}
