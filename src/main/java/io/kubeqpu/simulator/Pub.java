package io.kubeqpu.simulator;

import java.util.List;
import java.util.Map;

/**
 * One primitive unified bloc: a circuit plus what to bind and measure.
 *
 * @param circuit              OpenQASM 2 or 3 source
 * @param parameterValues      parameter sets, each in the circuit's {@code input} declaration order;
 *                             {@code null} for an unparameterised circuit. N sets give N results.
 * @param shots                sampler shots for this PUB (overrides the request's)
 * @param observables          estimator only: each map is one observable as Pauli strings with coefficients,
 *                             rightmost character = qubit 0 (Qiskit order), e.g. {@code {"ZZ":1.0,"XI":0.5}}
 * @param precision            estimator only: target standard error (overrides the request's)
 * @param namedParameterValues alternative to {@code parameterValues}: parameter name → one value per set
 *                             (Qiskit's dict form {@code {"theta": [0.1, 0.2]}})
 */
public record Pub(String circuit, List<List<Double>> parameterValues, Integer shots,
                  List<Map<String, Double>> observables, Double precision,
                  Map<String, List<Double>> namedParameterValues) {

    public Pub(String circuit, List<List<Double>> parameterValues, Integer shots,
               List<Map<String, Double>> observables, Double precision) {
        this(circuit, parameterValues, shots, observables, precision, null);
    }

    public static Pub sampler(String circuit) {
        return new Pub(circuit, null, null, null, null);
    }

    public static Pub sampler(String circuit, List<List<Double>> parameterValues, Integer shots) {
        return new Pub(circuit, parameterValues, shots, null, null);
    }

    public static Pub estimator(String circuit, List<Map<String, Double>> observables) {
        return new Pub(circuit, null, null, observables, null);
    }
}
