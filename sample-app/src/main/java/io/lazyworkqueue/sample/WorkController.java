package io.lazyworkqueue.sample;

import java.time.Duration;
import java.util.Map;

import io.lazyworkqueue.spring.LazyWorkqueueRegistry;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /work?queue=percpu&tasks=100&cpu=1&millis=5} queues work and answers how much. Without
 * {@code cpu}, tasks go through the {@code @Async} methods of {@link Workloads}; with it, straight to
 * that CPU of the queue.
 */
@RestController
public class WorkController {

    private static final int MAX_TASKS = 100_000;

    private final LazyWorkqueueRegistry registry;

    private final Workloads workloads;

    public WorkController(LazyWorkqueueRegistry registry, Workloads workloads) {
        this.registry = registry;
        this.workloads = workloads;
    }

    @PostMapping("/work")
    public Map<String, Object> work(@RequestParam(defaultValue = "percpu") String queue,
            @RequestParam(defaultValue = "1") int tasks, @RequestParam(required = false) @Nullable Integer cpu,
            @RequestParam(defaultValue = "1") long millis) throws InterruptedException {
        if (tasks < 1 || tasks > MAX_TASKS) {
            throw new IllegalArgumentException("tasks must be from 1 to " + MAX_TASKS + ", was " + tasks);
        }
        if (millis < 0) {
            throw new IllegalArgumentException("millis must be zero or more, was " + millis);
        }
        LazyWorkqueueTaskExecutor executor = registry.get(queue);
        Duration duration = Duration.ofMillis(millis);
        for (int i = 0; i < tasks; i++) {
            if (cpu != null) {
                executor.executeOn(cpu, () -> Workloads.keepBusy(duration));
            }
            else {
                submitThroughAsync(queue, duration);
            }
        }
        return cpu != null ? Map.of("queue", queue, "queued", tasks, "cpu", cpu)
                : Map.of("queue", queue, "queued", tasks);
    }

    private void submitThroughAsync(String queue, Duration duration) throws InterruptedException {
        switch (queue) {
            case "percpu" -> workloads.compute(duration);
            case "blocking-io" -> workloads.callRemote(duration);
            case "ordered" -> workloads.appendToJournal();
            default -> throw new IllegalArgumentException("queue '" + queue + "' has no @Async workload; name a cpu");
        }
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException ex) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", String.valueOf(ex.getMessage())));
    }

    /** A queue that shut down or is full refuses work: the service is unavailable, not the request wrong. */
    @ExceptionHandler(TaskRejectedException.class)
    ResponseEntity<Map<String, String>> refused(TaskRejectedException ex) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .body(Map.of("error", String.valueOf(ex.getMessage())));
    }
}
