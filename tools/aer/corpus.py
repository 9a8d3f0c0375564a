"""The differential corpus: circuits Qiskit users write, exported with qiskit.qasm3.dumps.

Each case is (name, circuit for Aer, OpenQASM for kubeqpu, named parameter values or None). Measured registers
stay at <= 5 bits so 40,000 shots resolve the distribution well inside the 0.02 total-variation bound.
"""
import numpy as np
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm3
from qiskit.circuit import Parameter
from qiskit.circuit.classical import expr, types
from qiskit.circuit.library import (C3SXGate, C4XGate, CSdgGate, CSGate, DCXGate, efficient_su2, GlobalPhaseGate,
                                    HGate, MCPhaseGate, MCXGate, PauliGate, PhaseGate, QFTGate, RC3XGate, RCCXGate,
                                    RGate, RVGate, RYGate, SGate, SXGate, TGate, XGate, XXMinusYYGate, XXPlusYYGate,
                                    ZGate, UnitaryGate, quantum_volume, real_amplitudes)
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import random_unitary


def _case(name, qc, qasm=None, params=None):
    return (name, qc, qasm if qasm is not None else qasm3.dumps(qc), params)


def random_cases():
    cases = []
    for i, (n, depth, ops) in enumerate([(3, 6, 3), (4, 8, 3), (5, 6, 2), (5, 8, 4), (4, 10, 2), (3, 12, 3),
                                         (5, 5, 3), (4, 6, 4)]):
        qc = random_circuit(n, depth, max_operands=ops, measure=True, seed=100 + i)
        cases.append(_case(f"random-{n}q-d{depth}-ops{ops}-s{100 + i}", qc))
    for i, (n, depth) in enumerate([(3, 5), (4, 6), (3, 8), (4, 4), (5, 4)]):
        qc = random_circuit(n, depth, max_operands=3, measure=True, conditional=True, seed=200 + i)
        cases.append(_case(f"random-conditional-{n}q-d{depth}-s{200 + i}", qc))
    return cases


def library_cases():
    cases = []
    qc = QuantumCircuit(4)
    qc.h(0); qc.rx(0.3, 1); qc.ry(1.1, 2); qc.x(3)
    qc.append(QFTGate(4), range(4))
    qc.measure_all()
    cases.append(_case("qft-4", qc))

    qc = QuantumCircuit(5)
    for q, a in enumerate([0.3, 1.2, 2.0, 0.7, 1.6]):
        qc.ry(a, q)
    qc.append(C3SXGate(), [0, 1, 2, 3]); qc.append(C4XGate(), [0, 1, 2, 3, 4]); qc.append(RCCXGate(), [0, 1, 2])
    qc.append(RC3XGate(), [1, 2, 3, 4]); qc.append(MCXGate(3), [4, 0, 1, 2]); qc.append(MCXGate(4), [0, 1, 2, 3, 4])
    qc.append(MCPhaseGate(0.8, 3), [0, 1, 2, 3]); qc.h(range(5))
    qc.measure_all()
    cases.append(_case("multi-controlled", qc))

    qc = QuantumCircuit(3)
    qc.h(0); qc.ry(0.4, 1); qc.rx(1.3, 2)
    qc.append(DCXGate(), [0, 1]); qc.append(XXPlusYYGate(0.7, 0.2), [1, 2]); qc.append(XXMinusYYGate(1.1, 0.4), [0, 2])
    qc.append(CSGate(), [0, 2]); qc.append(CSdgGate(), [1, 0]); qc.append(RGate(0.5, 0.9), [1])
    qc.append(RVGate(0.3, 0.2, 0.6), [2]); qc.append(PauliGate("XYZ"), [0, 1, 2]); qc.append(GlobalPhaseGate(0.4), [])
    qc.append(XGate().control(2, ctrl_state=1), [0, 1, 2]); qc.append(RYGate(0.9).control(1), [2, 0])
    qc.append(UnitaryGate(random_unitary(2, seed=7)), [1]); qc.append(UnitaryGate(random_unitary(4, seed=8)), [0, 2])
    qc.h(range(3))
    qc.measure_all()
    cases.append(_case("library-gates", qc))

    qc = quantum_volume(4, seed=11).decompose()
    qc.measure_all()
    cases.append(_case("quantum-volume-4", qc))

    ansatz = real_amplitudes(4, reps=2)
    bound = ansatz.assign_parameters(np.random.default_rng(3).uniform(-np.pi, np.pi, ansatz.num_parameters))
    bound.measure_all()
    cases.append(_case("real-amplitudes-bound", bound))

    su2 = efficient_su2(3, reps=1)
    # Plain names: the exporter writes ParameterVector elements under escaped names.
    su2 = su2.assign_parameters({p: Parameter(f"t{i}") for i, p in enumerate(su2.parameters)})
    values = {p.name: float(v) for p, v in zip(su2.parameters, np.random.default_rng(5).uniform(-3, 3, su2.num_parameters))}
    su2.measure_all()
    aer_qc = su2.assign_parameters({p: values[p.name] for p in su2.parameters})
    cases.append(_case("efficient-su2-inputs", aer_qc, qasm3.dumps(su2), values))

    qc = QuantumCircuit(4, 3)
    qc.x(3)
    qc.h(range(3))
    for k in range(3):
        qc.cp(2 * np.pi * 0.375 * 2 ** k, k, 3)
    qc.append(QFTGate(3).inverse(), range(3))
    qc.measure(range(3), range(3))
    cases.append(_case("phase-estimation", qc))

    th, ph = Parameter("θ"), Parameter("phi")
    qc = QuantumCircuit(2)
    qc.rx(th * 2 + ph, 0); qc.rz(th.sin(), 1); qc.ry(ph / 3 - 1, 1); qc.cx(0, 1); qc.h(0)
    qc.measure_all()
    cases.append(_case("parameter-expressions", qc.assign_parameters({th: 0.7, ph: -1.9}), qasm3.dumps(qc),
                       {"θ": 0.7, "phi": -1.9}))
    return cases


def control_flow_cases():
    cases = []
    # Nested if/else on a mid-circuit measurement.
    q = QuantumRegister(3, "q"); c = ClassicalRegister(3, "c")
    qc = QuantumCircuit(q, c)
    qc.h(0); qc.ry(1.0, 1); qc.measure(0, 0); qc.measure(1, 1)
    with qc.if_test((c[0], 1)) as else_:
        qc.x(2)
        with qc.if_test((c, 3)):
            qc.h(2)
    with else_:
        qc.ry(0.6, 2)
    qc.measure(2, 2)
    cases.append(_case("if-else-nested", qc))

    # for_loop with the loop variable in an angle, and a loop without a variable.
    qc = QuantumCircuit(2, 2)
    with qc.for_loop(range(4)) as i:
        qc.rx(0.35 * i, 0)
        qc.cx(0, 1)
    with qc.for_loop(range(3)):
        qc.ry(0.4, 1)
    qc.measure([0, 1], [0, 1])
    cases.append(_case("for-loop", qc))

    # Repeat until success: while the measured bit is 0.
    qc = QuantumCircuit(2, 2)
    qc.ry(0.9, 0)
    qc.measure(0, 0)
    with qc.while_loop((qc.clbits[0], 0)):
        qc.reset(0); qc.ry(0.9, 0); qc.measure(0, 0)
        qc.x(1)
    qc.measure(1, 1)
    cases.append(_case("while-repeat-until-success", qc))

    # switch on a 2-bit register with a default.
    q = QuantumRegister(3, "q"); c = ClassicalRegister(2, "c"); d = ClassicalRegister(1, "d")
    qc = QuantumCircuit(q, c, d)
    qc.ry(1.2, 0); qc.h(1); qc.measure([0, 1], [0, 1])
    with qc.switch(c) as case:
        with case(0):
            qc.x(2)
        with case(1, 2):
            qc.ry(0.7, 2)
        with case(case.DEFAULT):
            qc.h(2)
    qc.measure(2, d[0])
    cases.append(_case("switch", qc))

    # Classical expressions and stores.
    q = QuantumRegister(4, "q"); c = ClassicalRegister(3, "c"); d = ClassicalRegister(2, "d")
    qc = QuantumCircuit(q, c, d)
    qc.h(0); qc.ry(0.8, 1); qc.ry(2.0, 2); qc.measure([0, 1, 2], [0, 1, 2])
    with qc.if_test(expr.logic_and(expr.bit_not(c[0]), c[1])):
        qc.x(3)
    with qc.if_test(expr.equal(expr.bit_and(c, 5), 1)):
        qc.ry(0.5, 3)
    with qc.if_test(expr.less(c, 3)):
        qc.h(3)
    qc.store(d[0], expr.logic_or(c[0], expr.logic_not(c[1])))
    qc.store(d[1], expr.bit_xor(c[1], c[2]))
    qc.measure(3, c[2])
    cases.append(_case("classical-expressions", qc))

    # Variables: Aer 0.18 aborts on any classical variable ("invalid cbit index"), so Aer runs the equivalent
    # circuit without one: n becomes 12 exactly when c[0] is 1, and q[1] flips when n >= 10.
    qc = QuantumCircuit(2, 2)
    n = qc.add_var("n", expr.lift(3, types.Uint(8)))
    qc.h(0); qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.store(n, expr.bit_or(n, expr.lift(12, types.Uint(8))))
    with qc.if_test(expr.greater_equal(n, 10)):
        qc.x(1)
    qc.measure(1, 1)
    aer_qc = QuantumCircuit(2, 2)
    aer_qc.h(0); aer_qc.measure(0, 0)
    with aer_qc.if_test((aer_qc.clbits[0], 1)):
        aer_qc.x(1)
    aer_qc.measure(1, 1)
    cases.append(_case("variables", aer_qc, qasm3.dumps(qc)))

    # break/continue inside a for loop, driven by a measurement.
    qc = QuantumCircuit(2, 2)
    with qc.for_loop(range(5)):
        qc.ry(0.5, 0)
        qc.measure(0, 0)
        with qc.if_test((qc.clbits[0], 1)):
            qc.break_loop()
        qc.rx(0.3, 1)
    qc.measure(1, 1)
    cases.append(_case("for-break", qc))

    qc = QuantumCircuit(2, 2)
    with qc.for_loop(range(4)):
        qc.h(0)
        qc.measure(0, 0)
        with qc.if_test((qc.clbits[0], 0)):
            qc.continue_loop()
        qc.ry(0.4, 1)
    qc.measure(1, 1)
    cases.append(_case("for-continue", qc))

    # Teleportation with mid-circuit measurement, reset and feed-forward; and a box.
    q = QuantumRegister(3, "q"); m = ClassicalRegister(2, "m"); out = ClassicalRegister(1, "out")
    qc = QuantumCircuit(q, m, out)
    qc.ry(1.1, 0); qc.rz(0.4, 0)
    qc.h(1); qc.cx(1, 2); qc.cx(0, 1); qc.h(0)
    qc.measure(0, m[0]); qc.measure(1, m[1])
    with qc.if_test((m[1], 1)):
        qc.x(2)
    with qc.if_test((m[0], 1)):
        qc.z(2)
    qc.reset(0)
    aer_qc = qc.copy()
    with qc.box():
        qc.rz(-0.4, 2); qc.ry(-1.1, 2)
    qc.measure(2, out[0])
    # Aer does not run 'box': its circuit has the box's contents inline.
    aer_qc.rz(-0.4, 2); aer_qc.ry(-1.1, 2)
    aer_qc.measure(2, out[0])
    cases.append(_case("teleport-reset-box", aer_qc, qasm3.dumps(qc)))

    # Mid-circuit measurement followed by more gates on the measured qubit (no classical control).
    qc = QuantumCircuit(3, 3)
    qc.h(0); qc.cx(0, 1); qc.measure(0, 0); qc.ry(0.7, 0); qc.cx(0, 2); qc.reset(1); qc.h(1)
    qc.measure([0, 1, 2], [0, 1, 2])
    cases.append(_case("mid-circuit-measure-reset", qc))
    return cases


# Gate modifiers: Qiskit's exporter cannot write AnnotatedOperation, so the OpenQASM is written by hand and the
# Aer circuit built with .control()/.inverse()/.power().
def modifier_cases():
    header = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n'
    cases = []
    qc = QuantumCircuit(3)
    qc.h(0); qc.ry(0.7, 1); qc.rx(1.9, 2)
    qc.append(RYGate(0.8).control(1), [0, 2])
    qc.append(XGate().control(2, ctrl_state=1), [0, 1, 2])
    qc.append(SGate().inverse(), [1])
    qc.append(TGate().power(3), [2])
    qc.append(SXGate().power(0.5), [0])
    qc.append(HGate().control(1, ctrl_state=0), [2, 1])
    qc.append(ZGate().power(0.3), [1])
    qc.h(range(3))
    qc.measure_all()
    qasm = header + """qubit[3] q;
bit[3] meas;
h q[0]; ry(0.7) q[1]; rx(1.9) q[2];
ctrl @ ry(0.8) q[0], q[2];
ctrl @ negctrl @ x q[0], q[1], q[2];
inv @ s q[1];
pow(3) @ t q[2];
pow(0.5) @ sx q[0];
negctrl @ h q[2], q[1];
pow(0.3) @ z q[1];
h q[0]; h q[1]; h q[2];
meas = measure q;
"""
    cases.append(("modifiers", qc, qasm, None))

    qc = QuantumCircuit(3)
    qc.ry(0.5, 0); qc.ry(1.3, 1); qc.h(2)
    sub = QuantumCircuit(2, name="g")
    sub.rx(0.6, 0); sub.cx(0, 1); sub.rz(0.9, 1)
    sub.global_phase = 0.7
    g = sub.to_gate()
    qc.append(g.control(1), [2, 0, 1])
    qc.append(g.inverse().control(1), [0, 1, 2])
    qc.h(range(3))
    qc.measure_all()
    qasm = header + """gate g a, b { gphase(0.7); rx(0.6) a; cx a, b; rz(0.9) b; }
qubit[3] q;
bit[3] meas;
ry(0.5) q[0]; ry(1.3) q[1]; h q[2];
ctrl @ g q[2], q[0], q[1];
ctrl @ inv @ g q[0], q[1], q[2];
h q[0]; h q[1]; h q[2];
meas = measure q;
"""
    cases.append(("modifiers-on-user-gates", qc, qasm, None))
    return cases


def all_cases():
    return random_cases() + library_cases() + control_flow_cases() + modifier_cases()


def estimator_cases():
    """(name, circuit without measurements, list of {pauli: coeff}) — observables as Qiskit's dict form."""
    rng = np.random.default_rng(17)
    cases = []
    for i, n in enumerate([3, 4, 5, 6]):
        qc = random_circuit(n, 6, max_operands=2, seed=300 + i)
        obs = []
        for _ in range(3):
            terms = {}
            for _ in range(5):
                terms["".join(rng.choice(list("IXYZ"), n))] = float(rng.uniform(-1, 1))
            obs.append(terms)
        cases.append((f"estimator-{n}q-s{300 + i}", qc, obs))
    return cases
