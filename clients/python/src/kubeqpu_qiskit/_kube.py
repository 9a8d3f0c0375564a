"""Thin access to kubeqpu's custom resources through the official ``kubernetes`` client."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import uuid
from datetime import datetime, timezone
from typing import Any, cast

from kubernetes import client as k8s
from kubernetes import config as k8s_config
from kubernetes.client.exceptions import ApiException

from .exceptions import KubeQpuApiError, KubeQpuError

GROUP = "quantum.kubeqpu.io"
VERSION = "v1alpha1"
API_VERSION = f"{GROUP}/{VERSION}"
PLURALS = {
    "QuantumBackend": "quantumbackends",
    "QuantumInstance": "quantuminstances",
    "QuantumJob": "quantumjobs",
    "QuantumBatch": "quantumbatches",
    "QuantumSession": "quantumsessions",
}
CLUSTER_SCOPED = {"QuantumBackend"}
CREATED_BY = {"app.kubernetes.io/created-by": "kubeqpu-qiskit"}
_SA_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

Obj = dict[str, Any]


class KubeApi:
    """Credentials from a kubeconfig (``KUBECONFIG`` or ``~/.kube/config``), else in-cluster (service account)."""

    def __init__(self, namespace: str | None = None, context: str | None = None, config_file: str | None = None) -> None:
        cfg = k8s.Configuration()
        kube_ns: str | None = None
        try:
            k8s_config.load_kube_config(config_file=config_file, context=context, client_configuration=cfg)
            contexts, active = k8s_config.list_kube_config_contexts(config_file)
            chosen = next((c for c in contexts if c["name"] == context), active) if context else active
            kube_ns = (chosen or {}).get("context", {}).get("namespace")
        except (k8s_config.ConfigException, FileNotFoundError, TypeError) as kubeconfig_error:
            if context or config_file:
                raise KubeQpuError(f"cannot use kubeconfig context {context or ''}: {kubeconfig_error}") from kubeconfig_error
            try:
                k8s_config.load_incluster_config(client_configuration=cfg)
            except k8s_config.ConfigException as in_cluster_error:
                raise KubeQpuError(
                    "no Kubernetes credentials: no kubeconfig (set KUBECONFIG or create ~/.kube/config; "
                    f"{kubeconfig_error}) and not running in a pod ({in_cluster_error})"
                ) from in_cluster_error
            if os.path.exists(_SA_NAMESPACE):
                with open(_SA_NAMESPACE, encoding="utf-8") as f:
                    kube_ns = f.read().strip() or None
        self.namespace: str = namespace or kube_ns or "default"
        self.api_client = k8s.ApiClient(cfg)
        self.custom = k8s.CustomObjectsApi(self.api_client)
        self.core = k8s.CoreV1Api(self.api_client)

    # --- custom resources ---------------------------------------------------------------------------------------
    def get(self, kind: str, name: str) -> Obj | None:
        try:
            if kind in CLUSTER_SCOPED:
                return cast(Obj, self.custom.get_cluster_custom_object(GROUP, VERSION, PLURALS[kind], name))
            return cast(Obj, self.custom.get_namespaced_custom_object(GROUP, VERSION, self.namespace, PLURALS[kind], name))
        except ApiException as e:
            if e.status == 404:
                return None
            raise _api_error(e, f"reading {kind} {name}") from e

    def list(self, kind: str, label_selector: str | None = None) -> list[Obj]:
        kwargs: dict[str, Any] = {"label_selector": label_selector} if label_selector else {}
        try:
            if kind in CLUSTER_SCOPED:
                answer = cast(Obj, self.custom.list_cluster_custom_object(GROUP, VERSION, PLURALS[kind], **kwargs))
            else:
                answer = cast(Obj, self.custom.list_namespaced_custom_object(GROUP, VERSION, self.namespace, PLURALS[kind],
                                                                             **kwargs))
        except ApiException as e:
            raise _api_error(e, f"listing {PLURALS[kind]}") from e
        return list(answer.get("items", []))

    def create(self, kind: str, name: str, spec: Obj, labels: dict[str, str] | None = None,
               annotations: dict[str, str] | None = None) -> Obj:
        metadata: Obj = {"name": name, "namespace": self.namespace, "labels": {**CREATED_BY, **(labels or {})}}
        if annotations:
            metadata["annotations"] = annotations
        body = {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec}
        try:
            return cast(Obj, self.custom.create_namespaced_custom_object(GROUP, VERSION, self.namespace, PLURALS[kind], body))
        except ApiException as e:
            raise _api_error(e, f"creating {kind} {name}") from e

    def merge_patch(self, kind: str, name: str, patch: Obj) -> Obj:
        try:
            return cast(Obj, self.custom.patch_namespaced_custom_object(
                GROUP, VERSION, self.namespace, PLURALS[kind], name, patch,
                _content_type="application/merge-patch+json",  # custom resources take no strategic merge patch
            ))
        except ApiException as e:
            raise _api_error(e, f"patching {kind} {name}") from e

    def delete(self, kind: str, name: str) -> bool:
        """Deletes (the operator's finalizer then cancels what is unfinished); False when already gone."""
        try:
            self.custom.delete_namespaced_custom_object(GROUP, VERSION, self.namespace, PLURALS[kind], name)
            return True
        except ApiException as e:
            if e.status == 404:
                return False
            raise _api_error(e, f"deleting {kind} {name}") from e

    # --- results --------------------------------------------------------------------------------------------------
    def read_result(self, config_map: str) -> Obj:
        """The result JSON of a job: ``data["result.json"]``, or gzip in ``binaryData["result.json.gz"]``."""
        try:
            cm = self.core.read_namespaced_config_map(config_map, self.namespace)
        except ApiException as e:
            raise _api_error(e, f"reading result ConfigMap {config_map}") from e
        if cm.data and "result.json" in cm.data:
            return json.loads(cm.data["result.json"])
        if cm.binary_data and "result.json.gz" in cm.binary_data:
            return json.loads(gzip.decompress(base64.b64decode(cm.binary_data["result.json.gz"])))
        raise KubeQpuError(f"ConfigMap {config_map} holds no result.json or result.json.gz")


def _api_error(e: ApiException, doing: str) -> KubeQpuApiError:
    message, reason = e.reason or "", None
    try:
        body = json.loads(e.body or "")
        message = body.get("message") or message
        reason = body.get("reason")
    except (ValueError, AttributeError):
        if e.body:
            message = str(e.body)
    return KubeQpuApiError(f"{doing}: {message} (HTTP {e.status})", e.status, reason)


def new_name(prefix: str) -> str:
    """A fresh DNS-label name; the client names objects itself (generateName has no collision retry everywhere)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def parse_time(value: str | None) -> datetime | None:
    """RFC 3339 with up to nanoseconds (the operator writes Java's Instant.toString())."""
    if not value:
        return None
    m = _TIME.match(value)
    if not m:
        raise ValueError(f"not an RFC 3339 time: {value!r}")
    base, frac, zone = m.groups()
    micro = (frac or "0")[:6].ljust(6, "0")
    t = datetime.fromisoformat(f"{base}.{micro}{'+00:00' if zone == 'Z' else zone}")
    return t.astimezone(timezone.utc)


_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)")


def to_duration(value: int | float | str | None) -> str | None:
    """Seconds (Qiskit Runtime's ``max_time`` unit) or a Go/Kubernetes duration string such as ``"1h30m"``."""
    if value is None:
        return None
    if isinstance(value, str):
        if not re.fullmatch(r"(\d+(\.\d+)?(ms|us|µs|ns|h|m|s))+", value):
            raise ValueError(f"not a duration: {value!r} (use seconds, or a string like '90s', '1h30m')")
        return value
    if value <= 0:
        raise ValueError(f"a duration must be > 0 seconds, got {value}")
    return f"{int(value)}s" if float(value).is_integer() else f"{int(round(value * 1000))}ms"


def duration_seconds(value: str | None) -> float | None:
    if not value:
        return None
    return sum(float(n) * _UNITS[u] for n, u in _DURATION.findall(value))
