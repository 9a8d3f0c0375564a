package io.kubeqpu.simulator;

/**
 * A request the simulated QPU refuses. {@link #reason()} is a stable machine-readable code that ends up
 * in {@code QuantumJob.status.reason}; the message is for humans.
 */
public class SimulationException extends Exception {
    public static final String QASM_SYNTAX_ERROR = "QasmSyntaxError";
    public static final String CIRCUIT_TOO_WIDE = "CircuitTooWide";
    public static final String CIRCUIT_TOO_LARGE = "CircuitTooLarge";
    public static final String NON_NATIVE_GATE = "NonNativeGate";
    public static final String MISSING_PARAMETERS = "MissingParameters";
    public static final String INVALID_PARAMETERS = "InvalidParameters";
    public static final String INVALID_OBSERVABLE = "InvalidObservable";
    public static final String INVALID_REQUEST = "InvalidRequest";

    private final String reason;

    public SimulationException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SimulationException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
