package io.lazyworkqueue.it;

import java.util.concurrent.TimeUnit;

/** Ends the server processes the tests start. */
final class Processes {

    private Processes() {
    }

    /** Asks the process to stop, and kills it if it has not within 30 seconds. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
