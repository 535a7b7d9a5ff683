package io.lazyworkqueue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A workqueue's recent lifecycle events, in a bounded ring, and the listeners that get them. */
final class EventLog {

    private static final System.Logger logger = System.getLogger(LazyWorkqueue.class.getName());

    private final String workqueue;

    private final Timebase timebase;

    private final WorkqueueEvent[] ring;

    private final List<WorkqueueListener> listeners = new CopyOnWriteArrayList<>();

    private long recorded;

    EventLog(String workqueue, Timebase timebase, int capacity) {
        this.workqueue = workqueue;
        this.timebase = timebase;
        this.ring = new WorkqueueEvent[capacity];
    }

    void addListener(WorkqueueListener listener) {
        listeners.add(listener);
    }

    void removeListener(WorkqueueListener listener) {
        listeners.remove(listener);
    }

    void record(int cpu, WorkqueueEventType type, String thread, String detail) {
        WorkqueueEvent event = new WorkqueueEvent(now(), cpu, type, thread, detail);
        if (ring.length > 0) {
            synchronized (ring) {
                ring[(int) (recorded++ % ring.length)] = event;
            }
        }
        for (WorkqueueListener listener : listeners) {
            try {
                listener.onEvent(workqueue, event);
            }
            catch (Throwable ex) {
                // Whatever a listener throws must not stop the thread that reports the event:
                // the manager's death would stop the workqueue.
                logger.log(System.Logger.Level.WARNING, "Listener " + listener + " of workqueue '" + workqueue
                        + "' failed on " + event, ex);
            }
        }
    }

    /**
     * The workqueue's clock may be what failed, and the event that says so needs a time: the wall
     * clock stands in.
     */
    private Instant now() {
        try {
            return timebase.now();
        }
        catch (RuntimeException ex) {
            return Instant.now();
        }
    }

    /** @return the kept events, newest first */
    List<WorkqueueEvent> recent() {
        synchronized (ring) {
            int count = (int) Math.min(recorded, ring.length);
            List<WorkqueueEvent> events = new ArrayList<>(count);
            for (long i = recorded - 1; i >= recorded - count; i--) {
                events.add(ring[(int) (i % ring.length)]);
            }
            return events;
        }
    }
}
