"""Errors raised by kubeqpu-qiskit. Each carries what the cluster said: the CR's reason and message."""

from __future__ import annotations


class KubeQpuError(Exception):
    """Base class of every error raised by this package."""


class KubeQpuApiError(KubeQpuError):
    """The Kubernetes API refused a request (for example a manifest rejected by the CRD's validation)."""

    def __init__(self, message: str, status: int | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


class KubeQpuJobError(KubeQpuError):
    """A QuantumJob ended without a result: ``reason`` and ``message`` are the CR's ``status.reason``/``message``."""

    def __init__(self, job_id: str, phase: str, reason: str | None, message: str | None) -> None:
        text = f"job {job_id} {phase.lower()}"
        if reason:
            text += f" ({reason})"
        if message:
            text += f": {message}"
        super().__init__(text)
        self.job_id = job_id
        self.phase = phase
        self.reason = reason
        self.message = message


class KubeQpuJobFailureError(KubeQpuJobError):
    """The job's phase is ``Failed``."""


class KubeQpuJobCancelledError(KubeQpuJobError):
    """The job's phase is ``Cancelled``."""


class KubeQpuJobTimeoutError(KubeQpuError):
    """``result(timeout=...)`` or ``wait_for_final_state(timeout=...)`` ran out of time."""


class KubeQpuWorkloadError(KubeQpuError):
    """A QuantumSession or QuantumBatch was refused or ended (``Rejected``, ``Expired``, ``Cancelled``)."""

    def __init__(self, kind: str, name: str, phase: str, reason: str | None, message: str | None) -> None:
        text = f"{kind} {name} is {phase}"
        if reason:
            text += f" ({reason})"
        if message:
            text += f": {message}"
        super().__init__(text)
        self.kind = kind
        self.name = name
        self.phase = phase
        self.reason = reason
        self.message = message
