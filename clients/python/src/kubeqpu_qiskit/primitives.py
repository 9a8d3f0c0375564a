"""SamplerV2 and EstimatorV2: Qiskit's primitive interfaces, each ``run`` one QuantumJob."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar, Union

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit.primitives import BaseEstimatorV2, BaseSamplerV2
from qiskit.primitives.containers.estimator_pub import EstimatorPub, EstimatorPubLike
from qiskit.primitives.containers.sampler_pub import SamplerPub, SamplerPubLike

from ._kube import Obj, new_name, to_duration
from ._qasm import to_qasm
from .backend import KubeQpuBackend
from .job import PLAN_ANNOTATION, KubeQpuJob
from .modes import Batch, Session, _Workload, current_mode

Mode = Union[KubeQpuBackend, Session, Batch]


@dataclass
class SamplerOptions:
    default_shots: int = 4096
    #: Seed of the simulator's sampling (``spec.seed``): the same seed gives the same samples.
    seed: int | None = None
    #: Cap on the job's QPU time, seconds or a duration string (default: the backend's ``limits.maxExecutionTime``).
    max_execution_time: int | float | str | None = None


@dataclass
class EstimatorOptions:
    #: Qiskit Runtime's default target precision.
    default_precision: float = 0.015625
    seed: int | None = None
    max_execution_time: int | float | str | None = None


def _resolve_mode(mode: Mode | None) -> Mode:
    if mode is None:
        mode = current_mode()  # type: ignore[assignment]
        if mode is None:
            raise ValueError("give mode=backend, a Session or a Batch (or build the primitive inside `with Session(...)`)")
    if not isinstance(mode, (KubeQpuBackend, _Workload)):
        raise TypeError(f"mode must be a KubeQpuBackend, Session or Batch, got {type(mode).__name__}")
    return mode


_O = TypeVar("_O", SamplerOptions, EstimatorOptions)


def _options(cls: type[_O], given: _O | dict[str, Any] | None) -> _O:
    if given is None:
        return cls()
    if isinstance(given, cls):
        return replace(given)
    if isinstance(given, dict):
        known = {f.name for f in fields(cls)}
        unknown = set(given) - known
        if unknown:
            raise ValueError(f"unknown {cls.__name__} {sorted(unknown)}; known: {sorted(known)}")
        return cls(**given)
    raise TypeError(f"options must be a dict or {cls.__name__}")


def _parameter_rows(circuit: QuantumCircuit, pub: SamplerPub | EstimatorPub) -> list[list[float]] | None:
    """Rows of values in ``circuit.parameters`` order, which is the order qasm3.dumps declares its inputs in and
    the order the simulator binds positional values in (docs/api.md)."""
    if circuit.num_parameters == 0:
        if pub.parameter_values.size > 1:
            raise ValueError("parameter values were given for a circuit without parameters")
        return None
    values = np.asarray(pub.parameter_values.as_array(circuit.parameters), dtype=float)
    return values.reshape(-1, circuit.num_parameters).tolist()


class _Primitive:
    _primitive: str

    def __init__(self, mode: Mode | None) -> None:
        self._mode = _resolve_mode(mode)

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def backend(self) -> KubeQpuBackend:
        return self._mode if isinstance(self._mode, KubeQpuBackend) else self._mode.backend_object

    def _submit(self, pubs: list[Obj], plans: list[Obj], options: Any) -> KubeQpuJob:
        backend = self.backend
        service = backend.service
        spec: Obj = {"primitive": self._primitive, "pubs": pubs}
        if isinstance(self._mode, KubeQpuBackend):
            spec["backend"] = backend.name
            if service.instance:
                spec["instance"] = service.instance
        else:
            spec.update(self._mode.job_ref())
        if options.seed is not None:
            spec["seed"] = int(options.seed)
        if options.max_execution_time is not None:
            spec["maxExecutionTime"] = to_duration(options.max_execution_time)
        name = new_name(self._primitive)
        annotations = {PLAN_ANNOTATION: json.dumps(plans, separators=(",", ":"))}
        resource = service._api.create("QuantumJob", name, spec, annotations=annotations)
        if isinstance(self._mode, _Workload):
            self._mode._register_job(name)
        return KubeQpuJob(service, name, self._primitive, plans, resource)


class SamplerV2(_Primitive, BaseSamplerV2):
    """Qiskit's ``BaseSamplerV2`` on kubeqpu: ``run(pubs)`` creates one QuantumJob with every PUB.

    Args:
        mode: a backend (job mode), a :class:`Session` or a :class:`Batch`; ``None`` inside a ``with`` block uses it.
        options: :class:`SamplerOptions` or a dict (``default_shots``, ``seed``, ``max_execution_time``).
    """

    _primitive = "sampler"

    def __init__(self, mode: Mode | None = None, options: SamplerOptions | dict[str, Any] | None = None) -> None:
        super().__init__(mode)
        self.options: SamplerOptions = _options(SamplerOptions, options)

    def run(self, pubs: Iterable[SamplerPubLike], *, shots: int | None = None) -> KubeQpuJob:
        if shots is None:
            shots = self.options.default_shots
        coerced = [SamplerPub.coerce(pub, shots) for pub in pubs]
        if not coerced:
            raise ValueError("no PUBs to run")
        out, plans = [], []
        for pub in coerced:
            entry: Obj = {"circuit": to_qasm(pub.circuit), "shots": int(pub.shots)}
            rows = _parameter_rows(pub.circuit, pub)
            if rows is not None:
                entry["parameterValues"] = rows
            out.append(entry)
            plans.append({"shape": list(pub.shape), "regs": [c.name for c in pub.circuit.cregs],
                          "circuit_metadata": _jsonable(pub.circuit.metadata)})
        return self._submit(out, plans, self.options)


class EstimatorV2(_Primitive, BaseEstimatorV2):
    """Qiskit's ``BaseEstimatorV2`` on kubeqpu: ``run(pubs)`` creates one QuantumJob with every PUB.

    Observables are ``SparsePauliOp``s, Pauli strings or dicts (rightmost character = qubit 0); ``evs``/``stds``
    follow Qiskit's broadcasting of observables against parameter values.
    """

    _primitive = "estimator"

    def __init__(self, mode: Mode | None = None, options: EstimatorOptions | dict[str, Any] | None = None) -> None:
        super().__init__(mode)
        self.options: EstimatorOptions = _options(EstimatorOptions, options)

    def run(self, pubs: Iterable[EstimatorPubLike], *, precision: float | None = None) -> KubeQpuJob:
        if precision is None:
            precision = self.options.default_precision
        coerced = [EstimatorPub.coerce(pub, precision) for pub in pubs]
        if not coerced:
            raise ValueError("no PUBs to run")
        out, plans = [], []
        for pub in coerced:
            observables = [_observable(o) for o in pub.observables.ravel().tolist()]
            entry: Obj = {"circuit": to_qasm(pub.circuit), "observables": observables, "precision": float(pub.precision)}
            rows = _parameter_rows(pub.circuit, pub)
            if rows is not None:
                entry["parameterValues"] = rows
            out.append(entry)
            param_shape = list(pub.parameter_values.shape) if rows is not None else []
            plans.append({"shape": list(pub.shape), "param_shape": param_shape, "obs_shape": list(pub.observables.shape),
                          "circuit_metadata": _jsonable(pub.circuit.metadata)})
        return self._submit(out, plans, self.options)


def _observable(term_map: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for pauli, coeff in term_map.items():
        c = complex(coeff)
        if abs(c.imag) > 1e-12:
            raise ValueError(f"observable term {pauli} has a complex coefficient {coeff}: observables must be Hermitian")
        out[pauli] = out.get(pauli, 0.0) + c.real
    return out


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value if value is not None else {}
    except (TypeError, ValueError):
        return {}
