package io.kubeqpu.simulator;

import java.util.List;

/**
 * A request that passed the classical pre-processing and is ready for the QPU. Immutable; executing it
 * twice with the same seed gives the same result.
 */
public final class PreparedJob {
    private final PrimitiveRequest request;
    private final List<PreparedPub> pubs;
    private final double quantumSeconds;

    PreparedJob(PrimitiveRequest request, List<PreparedPub> pubs, double quantumSeconds) {
        this.request = request;
        this.pubs = List.copyOf(pubs);
        this.quantumSeconds = quantumSeconds;
    }

    public PrimitiveRequest request() {
        return request;
    }

    public Primitive primitive() {
        return request.primitive();
    }

    /** QPU time the timing model charges for this job. */
    public double quantumSeconds() {
        return quantumSeconds;
    }

    /** Total circuit executions (shots × parameter sets × measurement bases). */
    public long executions() {
        return pubs.stream().mapToLong(PreparedPub::executions).sum();
    }

    List<PreparedPub> pubs() {
        return pubs;
    }
}
