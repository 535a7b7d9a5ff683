package io.lazyworkqueue.spring;

/** Threads of a model check: started and joined in the test body, where Lincheck explores them. */
final class ModelThreads {

    private ModelThreads() {
    }

    static Thread start(Runnable action) {
        Thread thread = new Thread(action);
        thread.start();
        return thread;
    }

    static void join(Thread... threads) {
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
