package io.kubeqpu.simulator;

import io.kubeqpu.simulator.engine.CompiledCircuit;
import io.kubeqpu.simulator.qasm.QasmProgram;
import java.util.List;

/**
 * One PUB after the classical pre-processing: parsed, validated, bound and compiled once per parameter set.
 *
 * @param swept        true when the PUB gave parameter values (results get a leading parameter-set axis)
 * @param shots        sampler: shots per parameter set; estimator: shots per parameter set and basis
 * @param observables  estimator only
 * @param precision    estimator only
 * @param executions   circuit executions this PUB costs on the QPU
 */
record PreparedPub(QasmProgram program, List<CompiledCircuit> circuits, boolean swept, int shots,
                   List<PauliObservable> observables, double precision, long executions, double circuitSeconds) {
}
