package io.kubeqpu.simulator.engine;

/** A circuit that failed while running: a loop that does not end, a division by zero in a classical expression. */
public class CircuitRuntimeException extends RuntimeException {
    public CircuitRuntimeException(String message) {
        super(message);
    }
}
