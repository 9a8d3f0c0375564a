"""Deterministic circuit sets for the comparison with qiskit-aer (seeded: the same circuits on every run)."""

from __future__ import annotations

import numpy as np
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.circuit import Parameter, ParameterVector
from qiskit.circuit.library import (
    efficient_su2,
    grover_operator,
    iqp,
    HGate,
    QFTGate,
    RYGate,
    SXGate,
    XGate,
    hidden_linear_function,
    zz_feature_map,
    quantum_volume,
    real_amplitudes,
    unitary_overlap,
)
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import SparsePauliOp


RANDOM_STATIC = 150
RANDOM_DYNAMIC = 30


def _measured(qc: QuantumCircuit) -> QuantumCircuit:
    out = qc.copy()
    out.measure_all()
    return out


def sampler_circuits() -> list[tuple[str, QuantumCircuit, list[list[float]] | None]]:
    """(id, circuit with measurements, parameter values or None): random, library and dynamic circuits."""
    rng = np.random.default_rng(2026)
    out: list[tuple[str, QuantumCircuit, list[list[float]] | None]] = []
    for i in range(RANDOM_STATIC):
        n = 2 + i % 4
        qc = random_circuit(n, 2 + i % 5, max_operands=3, measure=True, seed=1000 + i)
        out.append((f"random-{i:02d}-{n}q", qc, None))
    for i in range(RANDOM_DYNAMIC):
        n = 2 + i % 3
        qc = random_circuit(n, 3 + i % 3, max_operands=2, measure=True, conditional=True, reset=True, seed=5000 + i)
        out.append((f"dynamic-random-{i:02d}-{n}q", qc, None))
    # Library circuits.
    for n in (2, 3, 4, 5):
        prep = QuantumCircuit(n)
        prep.x(range(0, n, 2))
        prep.append(QFTGate(n), range(n))
        out.append((f"qft-{n}", _measured(prep), None))
    for n in (3, 5):
        g = QuantumCircuit(n)
        g.h(0)
        for k in range(n - 1):
            g.cx(k, k + 1)
        out.append((f"ghz-{n}", _measured(g), None))
    for n, s in ((3, 1), (4, 2), (4, 3)):
        out.append((f"quantum-volume-{n}-{s}", _measured(quantum_volume(n, seed=s)), None))
    for n in (3, 4):
        out.append((f"iqp-{n}", _measured(iqp(_sym(rng, n))), None))
    for reps, n in ((1, 3), (2, 4)):
        ansatz = efficient_su2(n, reps=reps)
        values = rng.uniform(-np.pi, np.pi, size=(3, ansatz.num_parameters)).tolist()
        out.append((f"efficient-su2-{n}-swept", _measured(ansatz), values))
    ra = real_amplitudes(3, reps=2)
    out.append(("real-amplitudes-3-swept", _measured(ra), rng.uniform(-np.pi, np.pi, size=(4, ra.num_parameters)).tolist()))
    out.append(("hidden-linear-function-3", _measured(hidden_linear_function([[1, 1, 0], [1, 0, 1], [0, 1, 1]])), None))
    zz = zz_feature_map(3, reps=1)
    out.append(("zz-feature-map-3-swept", _measured(zz), rng.uniform(0, np.pi, size=(2, zz.num_parameters)).tolist()))
    oracle = QuantumCircuit(3)
    oracle.ccz(0, 1, 2)
    grover = QuantumCircuit(3)
    grover.h(range(3))
    grover.compose(grover_operator(oracle), inplace=True)
    out.append(("grover-3", _measured(grover), None))
    ov = unitary_overlap(real_amplitudes(3, reps=1).assign_parameters(rng.uniform(-1, 1, 6)),
                         real_amplitudes(3, reps=1).assign_parameters(rng.uniform(-1, 1, 6)))
    out.append(("unitary-overlap-3", _measured(ov), None))
    # A ParameterVector longer than 10: circuit.parameters sorts v[10] after v[9], not after v[1].
    v = ParameterVector("v", 12)
    pv = QuantumCircuit(3)
    for k in range(12):
        [pv.ry, pv.rz, pv.rx][k % 3](v[k] * (k + 1) / 7, k % 3)
        if k % 4 == 3:
            pv.cx(k % 3, (k + 1) % 3)
    out.append(("parameter-vector-12", _measured(pv), rng.uniform(-np.pi, np.pi, size=(3, 12)).tolist()))
    # Inverses, powers and open controls (the exporter writes them as plain gates or gate definitions).
    ip = QuantumCircuit(2)
    ip.h(0)
    ip.append(SXGate().inverse(annotated=True), [1])
    ip.append(RYGate(0.4).power(3, annotated=True), [0])
    ip.append(HGate().control(1, ctrl_state=0, annotated=False), [0, 1])
    out.append(("inverse-power-open-control", _measured(ip), None))
    mc = QuantumCircuit(3)
    mc.h([0, 1])
    mc.append(RYGate(0.7).control(2, annotated=False), [0, 1, 2])
    mc.append(XGate().control(2, ctrl_state="01", annotated=False), [0, 1, 2])
    out.append(("multi-controlled", _measured(mc), None))
    # Hand-written dynamic circuits: teleportation, reset reuse, mid-circuit measurement with else, delay.
    out.append(("teleport", _teleport(0.7, 1.9), None))
    out.append(("reset-reuse", _reset_reuse(), None))
    out.append(("if-else-chain", _if_else_chain(), None))
    return out


def _sym(rng: np.random.Generator, n: int) -> list[list[int]]:
    m = rng.integers(0, 8, size=(n, n))
    return ((m + m.T) % 8).tolist()


def _teleport(theta: float, phi: float) -> QuantumCircuit:
    q = QuantumRegister(3, "q")
    mz, mx, out = ClassicalRegister(1, "mz"), ClassicalRegister(1, "mx"), ClassicalRegister(1, "out")
    qc = QuantumCircuit(q, mz, mx, out)
    qc.ry(theta, 0)
    qc.rz(phi, 0)
    qc.h(1)
    qc.cx(1, 2)
    qc.cx(0, 1)
    qc.h(0)
    qc.measure(0, mz[0])
    qc.measure(1, mx[0])
    with qc.if_test((mx[0], 1)):
        qc.x(2)
    with qc.if_test((mz[0], 1)):
        qc.z(2)
    qc.rz(-phi, 2)
    qc.ry(-theta, 2)
    qc.measure(2, out[0])
    return qc


def _reset_reuse() -> QuantumCircuit:
    qc = QuantumCircuit(2, 4)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure(0, 0)
    qc.reset(0)
    qc.ry(1.1, 0)
    qc.delay(100, 0, unit="ns")
    qc.measure(0, 1)
    qc.measure(1, 2)
    qc.reset(1)
    qc.h(1)
    qc.measure(1, 3)
    return qc


def _if_else_chain() -> QuantumCircuit:
    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)) as else_:
        qc.ry(0.8, 1)
    with else_:
        qc.rx(2.1, 1)
    qc.measure(1, 1)
    with qc.if_test((qc.cregs[0], 3)):
        qc.h(2)
    qc.measure(2, 2)
    return qc


def estimator_cases() -> list[tuple[str, QuantumCircuit, list[SparsePauliOp], list[list[float]] | None]]:
    """(id, circuit without measurements, observables, parameter values or None)."""
    rng = np.random.default_rng(7)
    out: list[tuple[str, QuantumCircuit, list[SparsePauliOp], list[list[float]] | None]] = []

    def observables(n: int) -> list[SparsePauliOp]:
        obs = []
        for _ in range(3):
            labels = ["".join(rng.choice(list("IXYZ"), size=n)) for _ in range(3)]
            obs.append(SparsePauliOp(labels, rng.uniform(-1, 1, size=3)).simplify())
        return obs

    for i in range(30):
        n = 2 + i % 4
        qc = random_circuit(n, 2 + i % 4, max_operands=3, measure=False, seed=9000 + i)
        out.append((f"random-{i:02d}-{n}q", qc, observables(n), None))
    for n in (2, 3, 4):
        ansatz = efficient_su2(n, reps=1)
        out.append((f"efficient-su2-{n}-swept", ansatz, observables(n),
                    rng.uniform(-np.pi, np.pi, size=(2, ansatz.num_parameters)).tolist()))
    q4 = QuantumCircuit(4)
    q4.h(0)
    q4.append(QFTGate(4), range(4))
    out.append(("qft-4", q4, observables(4), None))
    out.append(("quantum-volume-4", quantum_volume(4, seed=11), observables(4), None))
    return out
