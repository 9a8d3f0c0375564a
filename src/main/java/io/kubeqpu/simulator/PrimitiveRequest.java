package io.kubeqpu.simulator;

import java.util.List;

/**
 * A Qiskit Runtime V2 primitive job: sampler or estimator over one or more PUBs.
 *
 * @param shots     default sampler shots for PUBs that do not set their own (default 4096)
 * @param precision default estimator precision for PUBs that do not set their own (default 0.015625)
 * @param seed      fixes the random outcomes; {@code null} lets the executor choose
 */
public record PrimitiveRequest(Primitive primitive, List<Pub> pubs, Integer shots, Double precision, Long seed) {

    public static final int DEFAULT_SHOTS = 4096;
    public static final double DEFAULT_PRECISION = 0.015625;

    public static PrimitiveRequest sampler(List<Pub> pubs, int shots, Long seed) {
        return new PrimitiveRequest(Primitive.SAMPLER, pubs, shots, null, seed);
    }

    public static PrimitiveRequest estimator(List<Pub> pubs, double precision, Long seed) {
        return new PrimitiveRequest(Primitive.ESTIMATOR, pubs, null, precision, seed);
    }
}
