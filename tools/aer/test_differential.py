"""kubeqpu against Qiskit Aer (statevector) on the generated corpus.

Sampler: total variation distance <= 0.02 between kubeqpu's 40,000 shots and Aer's 200,000 (static circuits) or
40,000 (dynamic circuits, which Aer simulates shot by shot); the sampling noise of two such histograms is below
0.01 for the <= 16-outcome dynamic circuits and ~0.01 for 32 outcomes. Estimator: every expectation value within 3 standard errors of Aer's
exact value.
"""
import pytest
from qiskit import transpile
from qiskit.circuit import ControlFlowOp
from qiskit_aer import AerSimulator
from qiskit_aer.primitives import EstimatorV2
from qiskit.quantum_info import SparsePauliOp

from corpus import all_cases, estimator_cases
from kubeqpu_sim import joint_counts

OUR_SHOTS = 40_000
AER_SHOTS_STATIC = 200_000
# Aer simulates dynamic circuits shot by shot (~10 s per 100,000 shots here): fewer shots keep the suite short.
AER_SHOTS_DYNAMIC = 40_000
TVD_BOUND = 0.02

AER = AerSimulator(method="statevector")


def is_static(qc):
    """No control flow, and measurements only at the end."""
    body = qc.remove_final_measurements(inplace=False)
    return not any(isinstance(i.operation, ControlFlowOp) or i.operation.name in ("measure", "reset") for i in body.data)


def tvd(a, b):
    na, nb = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c[0])
def test_sampler_matches_aer(kubeqpu, case):
    name, qc, qasm, params = case
    pub = {"circuit": qasm}
    if params:
        pub["namedParameterValues"] = {k: [v] for k, v in params.items()}
    status = kubeqpu.run({"primitive": "sampler", "shots": OUR_SHOTS, "seed": 12345, "pubs": [pub]})
    assert status["state"] == "COMPLETED", f"{name}: {status.get('reason')}: {status.get('message')}\n{qasm}"
    ours = joint_counts(status["result"]["results"][0], qc.cregs)
    shots = AER_SHOTS_STATIC if is_static(qc) else AER_SHOTS_DYNAMIC
    aer = AER.run(transpile(qc, AER, optimization_level=0), shots=shots, seed_simulator=99).result().get_counts()
    d = tvd(ours, aer)
    assert d <= TVD_BOUND, f"{name}: total variation {d:.4f} > {TVD_BOUND}\nours {sorted(ours.items())[:16]}\naer {sorted(aer.items())[:16]}"


@pytest.mark.parametrize("case", estimator_cases(), ids=lambda c: c[0])
def test_estimator_matches_aer(kubeqpu, case):
    name, qc, observables = case
    from qiskit import qasm3
    precision = 0.01
    status = kubeqpu.run({"primitive": "estimator", "seed": 7, "pubs": [
        {"circuit": qasm3.dumps(qc), "observables": observables, "precision": precision}]})
    assert status["state"] == "COMPLETED", f"{name}: {status.get('reason')}: {status.get('message')}"
    data = status["result"]["results"][0]["data"]
    exact = EstimatorV2().run([(transpile(qc, AER, optimization_level=0), [SparsePauliOp.from_list(list(o.items())) for o in observables])]).result()[0].data.evs
    for ev, std, ex in zip(data["evs"], data["stds"], exact):
        assert abs(ev - ex) <= 3 * std, f"{name}: {ev} vs exact {ex} (std {std})"
