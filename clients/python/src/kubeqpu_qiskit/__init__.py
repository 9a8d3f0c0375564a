"""kubeqpu-qiskit: Qiskit's interface (BackendV2, Session, Batch, SamplerV2, EstimatorV2) to kubeqpu.

A client of the Kubernetes API only: it creates QuantumJob, QuantumSession and QuantumBatch resources and reads their
status and result ConfigMaps, with kubeconfig or in-cluster credentials.
"""

from .backend import KubeQpuBackend
from .exceptions import (
    KubeQpuApiError,
    KubeQpuError,
    KubeQpuJobCancelledError,
    KubeQpuJobError,
    KubeQpuJobFailureError,
    KubeQpuJobTimeoutError,
    KubeQpuWorkloadError,
)
from .job import KubeQpuJob
from .modes import Batch, Session
from .primitives import EstimatorOptions, EstimatorV2, SamplerOptions, SamplerV2
from .service import KubeQpuService

__all__ = [
    "Batch",
    "EstimatorOptions",
    "EstimatorV2",
    "KubeQpuApiError",
    "KubeQpuBackend",
    "KubeQpuError",
    "KubeQpuJob",
    "KubeQpuJobCancelledError",
    "KubeQpuJobError",
    "KubeQpuJobFailureError",
    "KubeQpuJobTimeoutError",
    "KubeQpuService",
    "KubeQpuWorkloadError",
    "SamplerOptions",
    "SamplerV2",
    "Session",
]
__version__ = "0.1.0"
