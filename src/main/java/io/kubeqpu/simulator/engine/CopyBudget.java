package io.kubeqpu.simulator.engine;

/** Memory for extra state-vector copies when a dynamic circuit branches (see {@link CircuitRunner}). */
public interface CopyBudget {
    CopyBudget NONE = new CopyBudget() {
        public boolean tryReserve(long bytes) {
            return false;
        }

        public void release(long bytes) {
        }
    };

    CopyBudget UNLIMITED = new CopyBudget() {
        public boolean tryReserve(long bytes) {
            return true;
        }

        public void release(long bytes) {
        }
    };

    /** Reserves {@code bytes} if available now; never waits. */
    boolean tryReserve(long bytes);

    void release(long bytes);
}
