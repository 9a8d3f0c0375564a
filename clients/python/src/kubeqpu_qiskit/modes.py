"""Session and Batch: execution modes as context managers over QuantumSession / QuantumBatch resources."""

from __future__ import annotations

import contextvars
import time
from types import TracebackType
from typing import Any, ClassVar

from ._kube import Obj, new_name, parse_time, to_duration
from .backend import KubeQpuBackend
from .exceptions import KubeQpuError, KubeQpuWorkloadError

#: The Session/Batch whose ``with`` block is running: primitives built with ``mode=None`` use it (as Qiskit Runtime).
_current: contextvars.ContextVar[_Workload | None] = contextvars.ContextVar("kubeqpu_mode", default=None)

_ENDED = ("Closed", "Expired", "Cancelled", "Rejected")


def current_mode() -> _Workload | None:
    return _current.get()


class _Workload:
    _kind: ClassVar[str]
    _ref_field: ClassVar[str]
    _prefix: ClassVar[str]

    def __init__(self, backend: KubeQpuBackend, max_time: int | float | str | None = None, *,
                 interactive_ttl: int | float | str | None = None, name: str | None = None,
                 admission_timeout: float = 30.0) -> None:
        if not isinstance(backend, KubeQpuBackend):
            raise TypeError(f"{type(self).__name__} needs a backend from KubeQpuService.backend(), got {backend!r}")
        self._backend = backend
        self._api = backend.service._api
        self._max_time = to_duration(max_time)
        self._interactive_ttl = to_duration(interactive_ttl)
        self._name = name or new_name(self._prefix)
        self._created = False
        self._admission_timeout = admission_timeout
        self._token: contextvars.Token[_Workload | None] | None = None
        self._submitted: list[str] = []

    # --- identity ---------------------------------------------------------------------------------------------------
    @property
    def session_id(self) -> str:
        """The CR's name (Qiskit Runtime calls batches sessions too)."""
        return self._name

    @property
    def name(self) -> str:
        return self._name

    @property
    def service(self) -> Any:
        return self._backend.service

    def backend(self) -> str:
        """The backend's name, as Qiskit Runtime's ``Session.backend()``."""
        return self._backend.name

    @property
    def backend_object(self) -> KubeQpuBackend:
        return self._backend

    def job_ref(self) -> dict[str, Any]:
        """The reference a QuantumJob in this workload carries (``sessionRef`` or ``batchRef``)."""
        self._ensure_created()
        return {self._ref_field: {"name": self._name}}

    # --- lifecycle ----------------------------------------------------------------------------------------------------
    def _ensure_created(self) -> None:
        if self._created:
            return
        spec: Obj = {"backend": self._backend.name}
        if self._backend.service.instance:
            spec["instance"] = self._backend.service.instance
        if self._max_time:
            spec["maxTTL"] = self._max_time
        if self._interactive_ttl:
            spec["interactiveTTL"] = self._interactive_ttl
        self._api.create(self._kind, self._name, spec)
        self._created = True
        self._await_admission()

    def _await_admission(self) -> None:
        """Waits until the operator has seen the workload; a refusal (e.g. an open plan's session) raises here."""
        deadline = time.monotonic() + self._admission_timeout
        delay = 0.02
        while time.monotonic() < deadline:
            status = self._status()
            phase = status.get("phase")
            if phase == "Rejected":
                raise KubeQpuWorkloadError(self._kind, self._name, phase, status.get("reason"), status.get("message"))
            if phase:
                return
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
        # No operator answer in time: go on; jobs will wait in the queue like on a busy cluster.

    def _status(self) -> Obj:
        resource = self._api.get(self._kind, self._name)
        if resource is None:
            raise KubeQpuError(f"{self._kind} {self._name} no longer exists (deleted)")
        return dict(resource.get("status") or {})

    def _register_job(self, job_name: str) -> None:
        self._submitted.append(job_name)

    def _await_jobs_seen(self, timeout: float = 30.0) -> None:
        """Waits until the operator has taken in every job this client submitted (phase past Pending).

        The operator decides whether a job may join the workload when it first sees the job, so a close patched
        right after a submission could refuse that job (WorkloadClosed) although it was created before the close.
        """
        deadline = time.monotonic() + timeout
        pending = list(self._submitted)
        delay = 0.01
        while pending and time.monotonic() < deadline:
            still = []
            for name in pending:
                job = self._api.get("QuantumJob", name)
                if job is not None and (job.get("status") or {}).get("phase") in (None, "Pending"):
                    still.append(name)
            pending = still
            if pending:
                time.sleep(delay)
                delay = min(delay * 1.5, 0.25)
        self._submitted.clear()

    def close(self) -> None:
        """Stops accepting jobs (``acceptingJobs: false``): jobs already submitted still run; it ends once they are done."""
        if not self._created:
            return
        self._await_jobs_seen()
        resource = self._api.get(self._kind, self._name)
        if resource is None or not resource["spec"].get("acceptingJobs", True):
            return
        self._api.merge_patch(self._kind, self._name, {"spec": {"acceptingJobs": False}})

    def cancel(self) -> None:
        """Deletes the workload: the operator cancels its queued jobs and stops its running ones."""
        if self._created:
            self._api.delete(self._kind, self._name)

    def status(self) -> str:
        """The workload's phase: Pending, Active, Inactive, Closed, Expired, Cancelled or Rejected."""
        self._ensure_created()
        return str(self._status().get("phase") or "Pending")

    def details(self) -> dict[str, Any]:
        """Phase, deadlines, lease, job counts and usage, as in the CR's status (times as ``datetime``)."""
        self._ensure_created()
        resource = self._api.get(self._kind, self._name)
        if resource is None:
            raise KubeQpuError(f"{self._kind} {self._name} no longer exists (deleted)")
        spec, status = resource["spec"], dict(resource.get("status") or {})
        lease = status.get("lease") or None
        return {
            "id": self._name,
            "kind": self._kind,
            "backend_name": spec.get("backend"),
            "instance": spec.get("instance"),
            "state": status.get("phase", "Pending"),
            "accepting_jobs": bool(spec.get("acceptingJobs", True)),
            "max_time": spec.get("maxTTL"),
            "interactive_timeout": spec.get("interactiveTTL"),
            "started_at": parse_time(status.get("startedAt")),
            "last_job_completed": parse_time(status.get("lastJobCompletedAt")),
            "max_ttl_deadline": parse_time(status.get("maxTTLDeadline")),
            "interactive_deadline": parse_time(status.get("interactiveDeadline")),
            "lease_mode": lease.get("mode") if lease else None,
            "lease_acquired_at": parse_time(lease.get("acquiredAt")) if lease else None,
            "jobs": dict(status.get("jobs") or {}),
            "usage_time": float((status.get("usage") or {}).get("quantumSeconds", 0.0) or 0.0),
            "reason": status.get("reason"),
            "message": status.get("message"),
        }

    def usage(self) -> float:
        """Quantum seconds charged so far (session: wall clock while it held the QPU; batch: its jobs' QPU time)."""
        return float(self.details()["usage_time"])

    def wait_until_ended(self, timeout: float = 60.0) -> str:
        """Waits until Closed/Expired/Cancelled/Rejected (after ``close()``: until the submitted jobs are done)."""
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            resource = self._api.get(self._kind, self._name)
            phase = "Deleted" if resource is None else (resource.get("status") or {}).get("phase", "Pending")
            if phase in _ENDED or phase == "Deleted":
                return str(phase)
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self._kind} {self._name} still {phase} after {timeout} s")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)

    # --- context manager ---------------------------------------------------------------------------------------------
    def __enter__(self) -> _Workload:
        self._ensure_created()
        self._token = _current.set(self)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._token is not None:
            _current.reset(self._token)
            self._token = None
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}('{self._name}', backend='{self._backend.name}')>"


class Session(_Workload):
    """A dedicated window on one backend (QuantumSession): while active, only its jobs run there.

    Args:
        backend: from :meth:`KubeQpuService.backend`.
        max_time: max TTL, in seconds or as a duration string (``"2h"``); counted from its first job's start.
        interactive_ttl: how long the QPU waits for the next job after one completes (default 60 s).
        name: the QuantumSession's name (default: ``session-<random>``).
    """

    _kind = "QuantumSession"
    _ref_field = "sessionRef"
    _prefix = "session"

    def __enter__(self) -> Session:
        super().__enter__()
        return self


class Batch(_Workload):
    """Jobs submitted at once and scheduled together (QuantumBatch): not exclusive, pre-processed in parallel.

    Args:
        backend: from :meth:`KubeQpuService.backend`.
        max_time: max TTL, in seconds or as a duration string; counted from its first job's start.
        name: the QuantumBatch's name (default: ``batch-<random>``).
    """

    _kind = "QuantumBatch"
    _ref_field = "batchRef"
    _prefix = "batch"

    def __init__(self, backend: KubeQpuBackend, max_time: int | float | str | None = None, *, name: str | None = None,
                 admission_timeout: float = 30.0) -> None:
        super().__init__(backend, max_time, name=name, admission_timeout=admission_timeout)

    def __enter__(self) -> Batch:
        super().__enter__()
        return self
