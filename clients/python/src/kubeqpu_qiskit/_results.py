"""The result ConfigMap's JSON (docs/simulator.md, "Results") as Qiskit's own result containers."""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from qiskit.primitives import DataBin, PrimitiveResult, PubResult, SamplerPubResult
from qiskit.primitives.containers import BitArray

Obj = dict[str, Any]


def samples_to_bytes(samples: Sequence[str], num_bits: int) -> np.ndarray:
    """Hex samples (``"0x3"``, one per shot, in shot order) to BitArray's big-endian packed bytes (shots, bytes)."""
    num_bytes = math.ceil(num_bits / 8)
    if num_bytes <= 8:
        ints = np.fromiter((int(s, 16) for s in samples), dtype=np.uint64, count=len(samples))
        return ints.astype(">u8").view(np.uint8).reshape(len(samples), 8)[:, 8 - num_bytes:].copy()
    out = np.empty((len(samples), num_bytes), dtype=np.uint8)
    for i, s in enumerate(samples):
        out[i] = np.frombuffer(int(s, 16).to_bytes(num_bytes, "big"), dtype=np.uint8)
    return out


def register_keys(wanted: Sequence[str], got: Sequence[str]) -> dict[str, str]:
    """Circuit register name -> result key. The QASM exporter keeps valid names and renames others; those are
    matched in declaration order."""
    keys = {name: name for name in wanted if name in got}
    rest = [k for k in got if k not in keys.values()]
    for name in wanted:
        if name not in keys and rest:
            keys[name] = rest.pop(0)
    return keys


def sampler_pub_result(entry: Obj, plan: Obj) -> SamplerPubResult:
    shape = tuple(plan["shape"])
    data: Obj = entry["data"]
    meta: Obj = entry.get("metadata") or {}
    swept = len(meta.get("shape") or []) > 0
    regs: list[str] = plan.get("regs") or list(data)
    fields: dict[str, BitArray] = {}
    for reg, key in register_keys(regs, list(data)).items():
        item = data[key]
        num_bits = int(item["num_bits"])
        sets = item["samples"] if swept else [item["samples"]]
        arrays = [samples_to_bytes(s, num_bits) for s in sets]
        shots = arrays[0].shape[0] if arrays else 0
        stacked = np.stack(arrays) if arrays else np.zeros((0, 0, 0), dtype=np.uint8)
        fields[reg] = BitArray(stacked.reshape(shape + (shots, stacked.shape[-1])), num_bits)
    metadata = {"shots": meta.get("shots"), "circuit_metadata": plan.get("circuit_metadata", {})}
    return SamplerPubResult(DataBin(**fields, shape=shape), metadata=metadata)


def estimator_pub_result(entry: Obj, plan: Obj) -> PubResult:
    """The simulator answers the outer product (parameter sets x observables); Qiskit broadcasts their shapes."""
    shape = tuple(plan["shape"])
    p_shape, o_shape = tuple(plan["param_shape"]), tuple(plan["obs_shape"])
    n, m = int(np.prod(p_shape, dtype=int)), int(np.prod(o_shape, dtype=int))
    data: Obj = entry["data"]
    evs_all = np.asarray(data["evs"], dtype=float).reshape(n, m)
    stds_all = np.asarray(data["stds"], dtype=float).reshape(n, m)
    p_idx = np.broadcast_to(np.arange(n).reshape(p_shape), shape)
    o_idx = np.broadcast_to(np.arange(m).reshape(o_shape), shape)
    evs, stds = np.asarray(evs_all[p_idx, o_idx]), np.asarray(stds_all[p_idx, o_idx])
    meta: Obj = entry.get("metadata") or {}
    metadata = {"target_precision": meta.get("target_precision"), "shots": meta.get("shots"),
                "circuit_metadata": plan.get("circuit_metadata", {})}
    return PubResult(DataBin(evs=evs, stds=stds, shape=shape), metadata=metadata)


def primitive_result(result: Obj, plans: Sequence[Obj], job_id: str) -> PrimitiveResult[Any]:
    primitive = result.get("primitive", "sampler")
    entries = result["results"]
    if len(entries) != len(plans):
        raise ValueError(f"job {job_id}: {len(entries)} PUB results for {len(plans)} PUBs")
    convert = sampler_pub_result if primitive == "sampler" else estimator_pub_result
    pubs = [convert(e, p) for e, p in zip(entries, plans)]
    metadata = dict(result.get("metadata") or {})
    metadata["quantum_seconds"] = result.get("quantumSeconds")
    metadata["job_id"] = job_id
    return PrimitiveResult(pubs, metadata=metadata)


def default_plans(result: Obj) -> list[Obj]:
    """Plans for a job this client did not submit (no annotation): the simulator's own shapes."""
    plans: list[Obj] = []
    for e in result["results"]:
        shape = list((e.get("metadata") or {}).get("shape") or [])
        if result.get("primitive") == "estimator":
            evs = np.asarray(e["data"]["evs"])
            plans.append({"shape": list(evs.shape), "param_shape": list(evs.shape[:-1]) + [1],
                          "obs_shape": [1] * (evs.ndim - 1) + [evs.shape[-1]]})
        else:
            plans.append({"shape": shape})
    return plans
