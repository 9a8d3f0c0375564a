"""Exact outcome distributions from qiskit-aer, also for dynamic circuits.

Aer simulates a dynamic circuit (mid-circuit measurement, reset, if/else) shot by shot, about 0.1-0.2 ms a shot on
the CI machine: a precise reference for a hundred circuits would take many minutes. Instead, the circuit is rewritten
for Aer's density-matrix method, where everything is a deterministic channel (deferred measurement):

* each classical bit gets an ancilla qubit; ``measure q -> c`` becomes ``reset(anc_c); cx(q, anc_c)``;
* ``reset q`` stays a reset (a channel on a density matrix);
* ``if (cond) A else B`` sets a flag qubit from the condition's ancillas (multi-controlled X with the wanted bit
  values) and applies A controlled on the flag, B anti-controlled; nested blocks combine flags;
* a measurement or reset inside a block writes through a scratch qubit swapped in only when the flag is set.

``save_probabilities_dict`` on the classical bits' ancillas then gives the exact joint distribution.
"""

from __future__ import annotations

from qiskit import QuantumCircuit, transpile
from qiskit.circuit import Clbit, ClassicalRegister, Gate, IfElseOp
from qiskit.circuit.library import MCXGate
from qiskit_aer import AerSimulator


class Unsupported(Exception):
    """A construct this rewrite does not handle (loops, switch, classical expressions)."""


def _depth(qc: QuantumCircuit) -> int:
    deepest = 0
    for inst in qc.data:
        if isinstance(inst.operation, IfElseOp):
            deepest = max(deepest, 1 + max(_depth(b) for b in inst.operation.blocks))
    return deepest


def deferred(qc: QuantumCircuit) -> tuple[QuantumCircuit, list[int]]:
    """The rewritten circuit and, per classical bit, the qubit holding its final value."""
    n, m = qc.num_qubits, qc.num_clbits
    depth = _depth(qc)
    # qubits: [circuit | one per clbit | two flags per nesting level (then/else) | scratch]
    anc = list(range(n, n + m))
    flags = list(range(n + m, n + m + 2 * depth))
    scratch = n + m + 2 * depth
    out = QuantumCircuit(scratch + 1)

    def emit(circ: QuantumCircuit, qmap: list[int], cmap: list[int], flag: int | None, level: int) -> None:
        for inst in circ.data:
            op = inst.operation
            qs = [qmap[circ.find_bit(q).index] for q in inst.qubits]
            cs = [cmap[circ.find_bit(c).index] for c in inst.clbits]
            name = op.name
            if name in ("barrier", "delay", "id"):
                continue
            if name == "measure":
                q, c = qs[0], anc[cs[0]]
                if flag is None:
                    out.reset(c)
                    out.cx(q, c)
                else:  # c = flag ? q : c
                    out.reset(scratch)
                    out.ccx(flag, q, scratch)
                    out.append(MCXGate(2, ctrl_state=0b10), [flag, c, scratch])
                    out.swap(scratch, c)
            elif name == "reset":
                if flag is None:
                    out.reset(qs[0])
                else:
                    out.reset(scratch)
                    out.cswap(flag, qs[0], scratch)
            elif isinstance(op, IfElseOp):
                if not isinstance(op.condition, tuple):
                    raise Unsupported(f"condition expression {op.condition!r}")
                target, value = op.condition
                if isinstance(target, Clbit):
                    bits, values = [circ.find_bit(target).index], [int(value)]
                elif isinstance(target, ClassicalRegister):
                    bits = [circ.find_bit(b).index for b in target]
                    values = [(int(value) >> i) & 1 for i in range(len(target))]
                else:
                    raise Unsupported(f"condition {target!r}")
                then_flag, else_flag = flags[2 * level], flags[2 * level + 1]
                controls = [anc[cmap[b]] for b in bits]
                states = values
                if flag is not None:
                    controls, states = [flag] + controls, [1] + states
                out.reset(then_flag)
                out.append(MCXGate(len(controls), ctrl_state="".join(str(s) for s in reversed(states))),
                           controls + [then_flag])
                body_q = [qs[i] for i in range(len(qs))]
                body_c = [cs[i] for i in range(len(cs))]
                true_body, false_body = op.blocks[0], op.blocks[1] if len(op.blocks) > 1 else None
                if false_body is not None:
                    out.reset(else_flag)  # else = (outer flag) and not then
                    if flag is None:
                        out.x(else_flag)
                        out.cx(then_flag, else_flag)
                    else:
                        out.append(MCXGate(2, ctrl_state=0b01), [flag, then_flag, else_flag])
                emit(true_body, body_q, body_c, then_flag, level + 1)
                if false_body is not None:
                    emit(false_body, body_q, body_c, else_flag, level + 1)
            elif op.name in ("for_loop", "while_loop", "switch_case", "box") or getattr(op, "blocks", None):
                raise Unsupported(op.name)
            elif not isinstance(op, Gate):
                raise Unsupported(name)
            else:
                out.append(op.control(1, annotated=False) if flag is not None else op, ([flag] if flag is not None else []) + qs)

    emit(qc, list(range(n)), list(range(m)), None, 0)
    return out, anc


def exact_distribution(circuits: list[QuantumCircuit]) -> list[dict[str, float]]:
    """Exact joint distribution of all classical bits (bit 0 rightmost), one dict per circuit."""
    aer = AerSimulator(method="density_matrix")
    prepared = []
    for qc in circuits:
        rewritten, holders = deferred(qc)
        rewritten.save_probabilities_dict(holders)
        prepared.append(rewritten)
    result = aer.run(transpile(prepared, aer, optimization_level=0)).result()
    out = []
    for k, qc in enumerate(circuits):
        probs = result.data(k)["probabilities"]
        width = qc.num_clbits
        out.append({format(int(key, 16) if isinstance(key, str) else int(key), f"0{width}b"): float(p)
                    for key, p in probs.items() if p > 1e-15})
    return out
