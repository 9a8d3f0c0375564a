"""Circuits to OpenQASM 3 for QuantumJob PUBs."""

from __future__ import annotations

from functools import lru_cache

from qiskit import qasm3
from qiskit.circuit import QuantumCircuit
from qiskit.qasm3.exceptions import QASM3ExporterError

from .backend import SIMULATOR_GATES


@lru_cache(maxsize=1)
def _extra_basis() -> tuple[str, ...]:
    """The simulator's native gates that stdgates.inc does not declare (``ecr``, ``rzz``, ``iswap``, …): the
    exporter refuses a basis gate that stdgates.inc already defines, so ask it which ones it takes."""
    empty = QuantumCircuit(1)
    out = []
    for gate in SIMULATOR_GATES:
        try:
            qasm3.dumps(empty, basis_gates=(gate,))
            out.append(gate)
        except QASM3ExporterError:
            pass  # declared by stdgates.inc: called by name anyway
    return tuple(out)


def to_qasm(circuit: QuantumCircuit) -> str:
    """``qiskit.qasm3.dumps`` with the simulator's native gates as basis gates, so they are called, not redefined.

    That keeps transpiled circuits ISA (a redefined ``ecr`` would be a user gate, which a ``requireIsa`` backend
    refuses) and lets the simulator use its own matrices. Inputs are declared in ``circuit.parameters`` order,
    which is the order the values are sent in (tests/test_unit.py checks both).
    """
    return qasm3.dumps(circuit, basis_gates=_extra_basis())
