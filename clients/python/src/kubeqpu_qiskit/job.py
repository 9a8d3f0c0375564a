"""A QuantumJob seen as a Qiskit primitive job."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from qiskit.primitives import PrimitiveResult
from qiskit.primitives.base.base_primitive_job import BasePrimitiveJob
from qiskit.providers import JobStatus

from ._kube import Obj, parse_time
from ._results import default_plans, primitive_result
from .exceptions import KubeQpuError, KubeQpuJobCancelledError, KubeQpuJobFailureError, KubeQpuJobTimeoutError

if TYPE_CHECKING:
    from .service import KubeQpuService

PLAN_ANNOTATION = "quantum.kubeqpu.io/qiskit-pubs"

_STATUS = {
    "Pending": JobStatus.INITIALIZING,
    "Queued": JobStatus.QUEUED,
    "Running": JobStatus.RUNNING,
    "Completed": JobStatus.DONE,
    "Failed": JobStatus.ERROR,
    "Cancelled": JobStatus.CANCELLED,
}
_FINAL = ("Completed", "Failed", "Cancelled")


class KubeQpuJob(BasePrimitiveJob[PrimitiveResult[Any], JobStatus]):
    """One QuantumJob. ``job_id()`` is its name; ``result()`` waits for it and reads its result ConfigMap."""

    def __init__(self, service: KubeQpuService, job_id: str, primitive: str, plans: list[Obj] | None,
                 resource: Obj | None = None) -> None:
        super().__init__(job_id)
        self._service = service
        self._api = service._api
        self._primitive = primitive
        self._plans = plans
        self._resource = resource
        self._result: PrimitiveResult[Any] | None = None
        self._deleted_by_us = False

    @classmethod
    def from_resource(cls, service: KubeQpuService, resource: Obj) -> KubeQpuJob:
        annotation = (resource["metadata"].get("annotations") or {}).get(PLAN_ANNOTATION)
        plans = json.loads(annotation) if annotation else None
        return cls(service, resource["metadata"]["name"], resource["spec"]["primitive"], plans, resource)

    # --- status -------------------------------------------------------------------------------------------------------
    def _refresh(self) -> Obj:
        resource = self._api.get("QuantumJob", self._job_id)
        if resource is None:
            if self._deleted_by_us:
                return {"phase": "Cancelled", "reason": "Cancelled", "message": "cancelled by the client (QuantumJob deleted)"}
            raise KubeQpuError(f"QuantumJob {self._job_id} no longer exists (deleted)")
        self._resource = resource
        return dict(resource.get("status") or {})

    def _status_obj(self, refresh: bool = True) -> Obj:
        if refresh or self._resource is None:
            return self._refresh()
        return dict(self._resource.get("status") or {})

    def phase(self) -> str:
        """The QuantumJob's phase: Pending, Queued, Running, Completed, Failed or Cancelled."""
        return str(self._status_obj().get("phase") or "Pending")

    def status(self) -> JobStatus:
        return _STATUS[self.phase()]

    def done(self) -> bool:
        return self.phase() == "Completed"

    def running(self) -> bool:
        return self.phase() == "Running"

    def cancelled(self) -> bool:
        return self.phase() == "Cancelled"

    def in_final_state(self) -> bool:
        return self.phase() in _FINAL

    def queue_position(self, refresh: bool = True) -> int | None:
        """1-based position in the backend's queue while Queued, else None."""
        value = self._status_obj(refresh).get("queuePosition")
        return int(value) if value is not None else None

    def estimated_start(self, refresh: bool = True) -> datetime | None:
        """The operator's estimate of when the job starts (while Queued)."""
        return parse_time(self._status_obj(refresh).get("estimatedStartAt"))

    def usage(self) -> float:
        """Quantum seconds the job used."""
        return float((self._status_obj().get("usage") or {}).get("quantumSeconds", 0.0) or 0.0)

    def error_message(self) -> str | None:
        status = self._status_obj()
        if status.get("phase") in ("Failed", "Cancelled"):
            return f"{status.get('reason')}: {status.get('message')}"
        return None

    def metrics(self) -> dict[str, Any]:
        """Timestamps, usage, queue position and estimated start (keys as in Qiskit Runtime's ``job.metrics()``)."""
        status = self._status_obj()
        return {
            "timestamps": {
                "created": parse_time((self._resource or {}).get("metadata", {}).get("creationTimestamp")),
                "queued": parse_time(status.get("queuedAt")),
                "running": parse_time(status.get("startedAt")),
                "finished": parse_time(status.get("completedAt")),
            },
            "usage": {"quantum_seconds": float((status.get("usage") or {}).get("quantumSeconds", 0.0) or 0.0)},
            "position_in_queue": status.get("queuePosition"),
            "estimated_start_time": parse_time(status.get("estimatedStartAt")),
            "mode": status.get("mode"),
            "backend": status.get("backend"),
            "instance": status.get("instance"),
            "attempts": status.get("attempts"),
        }

    @property
    def session_id(self) -> str | None:
        spec = (self._resource or {}).get("spec") or {}
        ref = spec.get("sessionRef") or spec.get("batchRef")
        return ref.get("name") if ref else None

    @property
    def primitive_id(self) -> str:
        return self._primitive

    def backend(self) -> Any:
        name = self._status_obj(refresh=False).get("backend") or ((self._resource or {}).get("spec") or {}).get("backend")
        return self._service.backend(name) if name else None

    # --- waiting and results --------------------------------------------------------------------------------------
    def wait_for_final_state(self, timeout: float | None = None) -> str:
        """Polls until Completed, Failed or Cancelled; returns the phase."""
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.01
        while True:
            phase = str(self._refresh().get("phase") or "Pending")
            if phase in _FINAL:
                return phase
            if deadline is not None and time.monotonic() > deadline:
                raise KubeQpuJobTimeoutError(f"job {self._job_id} still {phase} after {timeout} s")
            time.sleep(delay)
            delay = min(delay * 1.4, 0.25)

    def result(self, timeout: float | None = None) -> PrimitiveResult[Any]:
        """Waits for the job; its PrimitiveResult, or KubeQpuJobFailureError / KubeQpuJobCancelledError carrying
        the CR's reason and message."""
        if self._result is not None:
            return self._result
        phase = self.wait_for_final_state(timeout)
        status = self._status_obj(refresh=False) if not self._deleted_by_us else self._refresh()
        if phase == "Failed":
            raise KubeQpuJobFailureError(self._job_id, phase, status.get("reason"), status.get("message"))
        if phase == "Cancelled":
            raise KubeQpuJobCancelledError(self._job_id, phase, status.get("reason"), status.get("message"))
        ref = status.get("resultRef") or {}
        for _ in range(100):  # the status writer sets resultRef with Completed; tolerate a lagging cache
            if ref.get("name"):
                break
            time.sleep(0.05)
            ref = self._refresh().get("resultRef") or {}
        if not ref.get("name"):
            raise KubeQpuError(f"job {self._job_id} is Completed but names no result ConfigMap")
        raw = self._api.read_result(ref["name"])
        plans = self._plans if self._plans is not None else default_plans(raw)
        self._result = primitive_result(raw, plans, self._job_id)
        return self._result

    def cancel(self) -> None:
        """Deletes the QuantumJob: the operator takes it out of the queue, or stops it on the QPU."""
        phase = self.phase()
        if phase in _FINAL:
            raise KubeQpuError(f"job {self._job_id} is already {phase}; nothing to cancel")
        if self._api.delete("QuantumJob", self._job_id):
            self._deleted_by_us = True

    def __repr__(self) -> str:
        return f"<KubeQpuJob('{self._job_id}', {self._primitive})>"
