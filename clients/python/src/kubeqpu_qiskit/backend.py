"""A QuantumBackend as a Qiskit ``BackendV2``: its Target holds the qubits, native gates and coupling map."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from qiskit.circuit import IfElseOp
from qiskit.circuit.library import get_standard_gate_name_mapping
from qiskit.providers import BackendV2, Options
from qiskit.transpiler import InstructionProperties, Target

from ._kube import Obj, duration_seconds

if TYPE_CHECKING:
    from .service import KubeQpuService

#: Gates the kubeqpu simulator implements natively with Qiskit's matrices, by their Qiskit names (docs/simulator.md).
#: These are exported as plain calls; anything else is exported with its definition.
SIMULATOR_GATES: tuple[str, ...] = (
    "id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "sxdg", "rx", "ry", "rz", "p", "u1", "u2", "u3", "u",
    "cx", "cy", "cz", "ch", "csx", "cp", "cu1", "crx", "cry", "crz", "cu", "cu3", "swap", "iswap", "ecr",
    "rzz", "rxx", "ryy", "rzx", "ccx", "ccz", "cswap",
)
#: Gates left out of the Target of a backend without ``basisGates``: Qiskit's legacy names for gates listed anyway.
_LEGACY = {"u1", "u2", "u3", "cu1", "cu3"}
#: Simulator aliases that are not Qiskit names.
_ALIASES = {"i": "id", "phase": "p", "cphase": "cp", "U": "u", "CX": "cx"}
#: Always supported, whatever basisGates says (the simulator checks only gate calls against it).
_NON_GATES = {"measure", "reset", "delay", "barrier"}
#: The simulator's dt (TimingModel.defaults: 2/9 ns), for delays written in dt.
SIMULATOR_DT = 2.0 / 9.0 * 1e-9


def build_target(name: str, spec: Obj) -> Target:
    """Target of a QuantumBackend spec: ``numQubits``; ``basisGates`` (empty: every gate the simulator knows);
    ``couplingMap`` (absent: all-to-all); durations from ``timing``."""
    n = int(spec["numQubits"])
    timing = spec.get("timing") or {}
    t1 = duration_seconds(timing.get("singleQubitGate", "50ns"))
    t2 = duration_seconds(timing.get("twoQubitGate", "500ns"))
    tm = duration_seconds(timing.get("measure", "4us"))
    coupling = spec.get("couplingMap")
    edges = [tuple(int(q) for q in pair) for pair in coupling] if coupling else None
    names = [_ALIASES.get(g, g) for g in (spec.get("basisGates") or [])]
    if not names:
        names = [g for g in SIMULATOR_GATES if g not in _LEGACY]
    mapping = get_standard_gate_name_mapping()
    target = Target(description=f"kubeqpu QuantumBackend {name}", num_qubits=n, dt=SIMULATOR_DT)
    seen: set[str] = set()
    for gate_name in list(dict.fromkeys(names)):
        if gate_name in _NON_GATES:
            continue
        gate = mapping.get(gate_name)
        if gate is None or gate_name not in SIMULATOR_GATES:
            warnings.warn(f"backend {name}: basis gate {gate_name!r} is not a gate the kubeqpu simulator knows; left out of the Target", stacklevel=3)
            continue
        width = gate.num_qubits
        if width == 1:
            props: dict[tuple[int, ...], InstructionProperties | None] | None = {(q,): InstructionProperties(duration=t1) for q in range(n)}
        elif width == 2 and edges is not None:
            props = {e: InstructionProperties(duration=t2) for e in edges}  # type: ignore[misc]
        elif edges is None:
            props = None  # all-to-all: the gate on any qubits
        else:
            warnings.warn(f"backend {name}: {width}-qubit basis gate {gate_name!r} has no coupling-map edges; left out of the Target", stacklevel=3)
            continue
        if edges is None and width > 1:
            target.add_instruction(gate)
        else:
            target.add_instruction(gate, props)
        seen.add(gate_name)
    target.add_instruction(mapping["measure"], {(q,): InstructionProperties(duration=tm) for q in range(n)})
    target.add_instruction(mapping["reset"], {(q,): InstructionProperties(duration=tm) for q in range(n)})
    target.add_instruction(mapping["delay"], {(q,): None for q in range(n)})
    target.add_instruction(IfElseOp, name="if_else")
    return target


class KubeQpuBackend(BackendV2):
    """One QuantumBackend. Run circuits with :class:`~kubeqpu_qiskit.SamplerV2` / :class:`~kubeqpu_qiskit.EstimatorV2`
    (``mode=backend`` for job mode, or a :class:`~kubeqpu_qiskit.Session` / :class:`~kubeqpu_qiskit.Batch`)."""

    def __init__(self, service: KubeQpuService, resource: Obj) -> None:
        name = resource["metadata"]["name"]
        super().__init__(provider=None, name=name, description=f"kubeqpu QuantumBackend {name}", backend_version="v1alpha1")
        self._service = service
        self._resource = resource
        self._target = build_target(name, resource["spec"])

    @property
    def service(self) -> KubeQpuService:
        return self._service

    @property
    def target(self) -> Target:
        return self._target

    @property
    def max_circuits(self) -> int:
        return 1000  # pubs per QuantumJob (CRD: pubs 1..1000)

    @property
    def require_isa(self) -> bool:
        """True when the backend accepts only circuits in its native gates (transpile them first)."""
        return bool(self._resource["spec"].get("requireIsa", False))

    @property
    def max_shots(self) -> int:
        return int((self._resource["spec"].get("limits") or {}).get("maxShots", 100000))

    @classmethod
    def _default_options(cls) -> Options:
        return Options(shots=4096)

    def run(self, run_input: Any, **options: Any) -> Any:
        raise NotImplementedError(
            "kubeqpu backends run primitives: use kubeqpu_qiskit.SamplerV2(mode=backend).run([circuit]) "
            "(as with Qiskit Runtime, backend.run is not offered)"
        )

    def refresh(self) -> KubeQpuBackend:
        """Re-reads the QuantumBackend (status: queue length, availability, lease)."""
        fresh = self._service._api.get("QuantumBackend", self.name)
        if fresh is not None:
            self._resource = fresh
        return self

    def details(self) -> Obj:
        """The QuantumBackend's current status, as the cluster reports it."""
        return dict(self.refresh()._resource.get("status") or {})

    @property
    def operational(self) -> bool:
        return bool(self.details().get("available", False))

    @property
    def pending_jobs(self) -> int:
        return int(self.details().get("queueLength", 0) or 0)

    def __repr__(self) -> str:
        return f"<KubeQpuBackend('{self.name}')>"
