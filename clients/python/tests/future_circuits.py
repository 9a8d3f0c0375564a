"""Control-flow and classical circuits as qasm3.dumps writes them (for, while, switch, &&, nested if, bool and uint
variables): the simulator gained these (they were refused with QasmSyntaxError before), each entry names its feature.

(qasm3.dumps cannot export gate modifiers: an AnnotatedOperation with ``ctrl`` fails in the exporter, and ``inv``/``pow``
are folded into plain gates, so no circuit here uses ``ctrl @``/``inv @``/``pow @``; tools/aer tests those.)
"""

from __future__ import annotations

from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.circuit.classical import expr, types


#: Exact distributions, worked out by hand, for circuits Aer cannot run (qiskit-aer 0.18.2 fails on classical
#: variables: AttributeError for bool, an abort of the process for uint).
EXPECTED = {
    # flag = !c[0]; if (flag) x q[1]: c[1] = 1 - c[0]
    "classical-var": {"10": 0.5, "01": 0.5},
    # v = c (c[1] still 0); if (v == 1) x q[1]: c[1] = c[0]
    "uint-var": {"00": 0.5, "11": 0.5},
}


def future_circuits() -> list[tuple[str, str, QuantumCircuit]]:
    """(id, simulator feature it needs, circuit with measurements)."""
    out: list[tuple[str, str, QuantumCircuit]] = []

    qr, cr = QuantumRegister(2), ClassicalRegister(2, "c")
    qc = QuantumCircuit(qr, cr)
    with qc.for_loop(range(3)):
        qc.rx(0.3, 0)
    qc.cx(0, 1)
    qc.measure(qr, cr)
    out.append(("for-loop", "for loops", qc))

    qc = QuantumCircuit(1, 2)
    qc.h(0)
    qc.measure(0, 0)
    with qc.while_loop((qc.clbits[0], 1)):
        qc.h(0)
        qc.measure(0, 0)
    qc.measure(0, 1)
    out.append(("while-loop", "while loops", qc))

    qr, cr, out_reg = QuantumRegister(2), ClassicalRegister(2, "c"), ClassicalRegister(1, "out")
    qc = QuantumCircuit(qr, cr, out_reg)
    qc.h(0)
    qc.h(1)
    qc.measure(qr, cr)
    with qc.switch(cr) as case:
        with case(0):
            qc.x(0)
        with case(1, 2):
            qc.ry(1.2, 0)
        with case(case.DEFAULT):
            qc.h(0)
    qc.measure(0, out_reg[0])
    out.append(("switch", "switch statements", qc))

    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.h(1)
    qc.measure(0, 0)
    qc.measure(1, 1)
    with qc.if_test(expr.logic_and(qc.clbits[0], qc.clbits[1])):
        qc.x(2)
    qc.measure(2, 2)
    out.append(("if-expression", "classical expressions in conditions (&&)", qc))

    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.h(1)
        qc.measure(1, 1)
        with qc.if_test((qc.clbits[1], 1)):
            qc.x(2)
    qc.measure(2, 2)
    out.append(("nested-if", "nested if", qc))

    qc = QuantumCircuit(2)
    flag = qc.add_var("flag", expr.lift(False))
    cr = ClassicalRegister(2, "c")
    qc.add_register(cr)
    qc.h(0)
    qc.measure(0, cr[0])
    qc.store(flag, expr.logic_not(cr[0]))
    with qc.if_test(flag):
        qc.x(1)
    qc.measure(1, cr[1])
    out.append(("classical-var", "bool declarations and assignments", qc))

    qc = QuantumCircuit(2)
    cr = ClassicalRegister(2, "c")
    qc.add_register(cr)
    v = qc.add_var("v", expr.lift(0, types.Uint(2)))
    qc.h(0)
    qc.measure(0, cr[0])
    qc.store(v, cr)
    with qc.if_test(expr.equal(v, 1)):
        qc.x(1)
    qc.measure(1, cr[1])
    out.append(("uint-var", "uint declarations, register-to-integer assignment, == on an integer", qc))

    return out
