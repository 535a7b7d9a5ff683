package io.lazyworkqueue;

/** Threads of a model check: started and joined in the test body, where Lincheck explores them. */
public final class ModelThreads {

    private ModelThreads() {
    }

    /**
     * @param action what the thread runs
     * @return the started thread
     */
    public static Thread start(Runnable action) {
        Thread thread = new Thread(action);
        thread.start();
        return thread;
    }

    /** @param threads threads to wait for; an interrupt fails the check */
    public static void join(Thread... threads) {
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        }
        catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }
}
