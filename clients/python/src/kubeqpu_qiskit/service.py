"""Entry point, shaped like ``QiskitRuntimeService``: backends from the cluster's QuantumBackends."""

from __future__ import annotations

from qiskit.providers.exceptions import QiskitBackendNotFoundError

from ._kube import KubeApi
from .backend import KubeQpuBackend
from .job import KubeQpuJob


class KubeQpuService:
    """Connects to a cluster running kubeqpu.

    Args:
        namespace: where jobs, sessions and batches are created (default: the kubeconfig context's namespace,
            the pod's namespace in-cluster, else ``default``).
        context: kubeconfig context (default: the current one). Credentials come from ``KUBECONFIG`` /
            ``~/.kube/config``, else from the pod's service account.
        instance: the QuantumInstance jobs are billed to (default: the namespace's default instance).
        config_file: an explicit kubeconfig path.
    """

    def __init__(self, namespace: str | None = None, context: str | None = None, instance: str | None = None,
                 config_file: str | None = None) -> None:
        self._api = KubeApi(namespace=namespace, context=context, config_file=config_file)
        self.instance = instance

    @property
    def namespace(self) -> str:
        return self._api.namespace

    def backends(self, name: str | None = None, min_num_qubits: int | None = None,
                 operational: bool | None = None) -> list[KubeQpuBackend]:
        """Every QuantumBackend, optionally filtered (the instance's ``allowedBackends`` is not applied here)."""
        out = []
        for resource in sorted(self._api.list("QuantumBackend"), key=lambda r: r["metadata"]["name"]):
            backend = KubeQpuBackend(self, resource)
            if name is not None and backend.name != name:
                continue
            if min_num_qubits is not None and backend.num_qubits < min_num_qubits:
                continue
            if operational is not None and bool((resource.get("status") or {}).get("available", False)) != operational:
                continue
            out.append(backend)
        return out

    def backend(self, name: str) -> KubeQpuBackend:
        resource = self._api.get("QuantumBackend", name)
        if resource is None:
            known = ", ".join(r["metadata"]["name"] for r in self._api.list("QuantumBackend")) or "none"
            raise QiskitBackendNotFoundError(f"no QuantumBackend named {name!r} (backends: {known})")
        return KubeQpuBackend(self, resource)

    def least_busy(self, min_num_qubits: int | None = None) -> KubeQpuBackend:
        candidates = self.backends(min_num_qubits=min_num_qubits, operational=True)
        if not candidates:
            raise QiskitBackendNotFoundError("no operational QuantumBackend" + (f" with >= {min_num_qubits} qubits" if min_num_qubits else ""))
        return min(candidates, key=lambda b: int(((b._resource.get("status") or {}).get("queueLength")) or 0))

    def job(self, job_id: str) -> KubeQpuJob:
        """A job submitted earlier (by this or another client), from its QuantumJob name."""
        resource = self._api.get("QuantumJob", job_id)
        if resource is None:
            raise ValueError(f"no QuantumJob {job_id!r} in namespace {self.namespace}")
        return KubeQpuJob.from_resource(self, resource)

    def __repr__(self) -> str:
        return f"<KubeQpuService(namespace='{self.namespace}', instance={self.instance!r})>"

