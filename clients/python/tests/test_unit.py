"""Unit tests without a cluster: QASM export, Target building, result parsing, time and duration helpers."""

from __future__ import annotations

import base64
import gzip
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import yaml
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter, ParameterVector
from qiskit.primitives.containers import BitArray

from kubeqpu_qiskit import KubeQpuError, KubeQpuService
from kubeqpu_qiskit._kube import KubeApi, duration_seconds, parse_time, to_duration
from kubeqpu_qiskit._qasm import to_qasm
from kubeqpu_qiskit._results import estimator_pub_result, register_keys, samples_to_bytes, sampler_pub_result
from kubeqpu_qiskit.backend import build_target

BACKENDS = {d["metadata"]["name"]: d["spec"]
            for d in yaml.safe_load_all((Path(__file__).parent / "cluster" / "quantumbackends.yaml").read_text())}


def test_qasm_declares_inputs_in_circuit_parameters_order() -> None:
    # The simulator binds positional values in declaration order; the client sends them in circuit.parameters
    # order (sorted by name, ParameterVector elements by index: v[10] after v[9]).
    v = ParameterVector("v", 12)
    b, a = Parameter("b"), Parameter("a")
    qc = QuantumCircuit(1)
    qc.rx(b, 0)
    qc.ry(a, 0)
    for k in reversed(range(12)):
        qc.rz(v[k], 0)
    declared = re.findall(r"^input float\[64\] (\S+);", to_qasm(qc), flags=re.M)
    assert [p.name for p in qc.parameters] == ["a", "b"] + [f"v[{k}]" for k in range(12)]
    assert declared == ["a", "b"] + [f"_v_{k}_" for k in range(12)]  # the exporter's names for v[k]


def test_native_gates_outside_stdgates_are_called_not_redefined() -> None:
    qc = QuantumCircuit(2)
    qc.ecr(0, 1)
    qc.rzz(0.3, 0, 1)
    qc.iswap(0, 1)
    qc.cx(0, 1)
    text = to_qasm(qc)
    assert "gate ecr" not in text and "gate rzz" not in text and "gate iswap" not in text
    assert "ecr q[0], q[1];" in text and "rzz(0.3) q[0], q[1];" in text
    assert 'include "stdgates.inc";' in text


def test_target_from_an_isa_backend() -> None:
    target = build_target("sim-line", BACKENDS["sim-line"])
    assert target.num_qubits == 10
    assert set(target.operation_names) == {"ecr", "id", "rz", "sx", "x", "measure", "reset", "delay", "if_else"}
    assert target.build_coupling_map().get_edges() == [tuple(e) for e in BACKENDS["sim-line"]["couplingMap"]]
    assert target["sx"][(3,)].duration == pytest.approx(50e-9)
    assert target["measure"][(0,)].duration == pytest.approx(4e-6)


def test_target_without_basis_gates_or_coupling_map_is_all_to_all_with_every_simulator_gate() -> None:
    target = build_target("sim-any", BACKENDS["sim-any"])
    assert target.build_coupling_map() is None
    assert {"cx", "ecr", "rzz", "ccx", "cswap", "u", "p"} <= set(target.operation_names)
    assert "u3" not in target.operation_names  # legacy names stay exportable but are not offered to the transpiler


def test_target_maps_simulator_aliases_and_warns_about_unknown_gates() -> None:
    with pytest.warns(UserWarning, match="'fsim' is not a gate the kubeqpu simulator knows"):
        target = build_target("t", {"numQubits": 3, "basisGates": ["CX", "U", "fsim"], "couplingMap": [[0, 1], [1, 2]]})
    assert {"cx", "u"} <= set(target.operation_names) and "fsim" not in target.operation_names
    assert sorted(target["cx"]) == [(0, 1), (1, 2)]


def test_hex_samples_become_bitarray_bytes_for_narrow_and_wide_registers() -> None:
    for num_bits in (1, 5, 8, 9, 64, 70, 130):
        rng = np.random.default_rng(num_bits)
        values = [int(rng.integers(0, 2 ** min(num_bits, 62))) << max(0, num_bits - 62) for _ in range(50)]
        samples = [hex(x) for x in values]
        expected = BitArray.from_samples(samples, num_bits)
        assert np.array_equal(samples_to_bytes(samples, num_bits), expected.array), num_bits


def test_sampler_result_is_shaped_by_the_parameter_broadcast() -> None:
    entry = {"data": {"c": {"num_bits": 2, "counts": [{}] * 6,
                            "samples": [["0x%x" % ((i + s) % 4) for s in range(3)] for i in range(6)]}},
             "metadata": {"shots": 3, "shape": [6]}}
    result = sampler_pub_result(entry, {"shape": [2, 3], "regs": ["c"]})
    assert result.data.shape == (2, 3)
    assert result.data.c.shape == (2, 3) and result.data.c.num_shots == 3
    assert result.data.c[1, 2].get_bitstrings() == [format((5 + s) % 4, "02b") for s in range(3)]


def test_register_names_renamed_by_the_exporter_are_matched_in_order() -> None:
    assert register_keys(["c", "my-reg", "x"], ["c", "_my_reg_", "x"]) == {"c": "c", "x": "x", "my-reg": "_my_reg_"}


def test_estimator_result_follows_qiskit_broadcasting() -> None:
    # 3 parameter sets (shape (3, 1)) x 2 observables (shape (2,)) -> shape (3, 2); the simulator answers the outer
    # product evs[i][j].
    evs = [[10 * i + j for j in range(2)] for i in range(3)]
    entry = {"data": {"evs": evs, "stds": [[0.01] * 2] * 3}, "metadata": {"target_precision": 0.01, "shape": [3, 2]}}
    result = estimator_pub_result(entry, {"shape": [3, 2], "param_shape": [3, 1], "obs_shape": [2]})
    assert result.data.evs.tolist() == evs
    # observables (2, 1) against parameters (2,): element [i, j] is observable i at parameter set j.
    entry = {"data": {"evs": [[1, 2], [3, 4]], "stds": [[0.1, 0.1], [0.1, 0.1]]}, "metadata": {}}
    result = estimator_pub_result(entry, {"shape": [2, 2], "param_shape": [2], "obs_shape": [2, 1]})
    assert result.data.evs.tolist() == [[1, 3], [2, 4]]
    # no parameters: one row
    entry = {"data": {"evs": [0.5, -0.5], "stds": [0.1, 0.1]}, "metadata": {}}
    assert estimator_pub_result(entry, {"shape": [2], "param_shape": [], "obs_shape": [2]}).data.evs.tolist() == [0.5, -0.5]


def test_large_results_are_read_from_gzip_binary_data() -> None:
    payload = {"primitive": "sampler", "results": []}
    blob = base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()
    api = object.__new__(KubeApi)
    api.namespace = "default"
    api.core = SimpleNamespace(read_namespaced_config_map=lambda name, ns: SimpleNamespace(
        data=None, binary_data={"result.json.gz": blob}))
    assert api.read_result("x-result") == payload
    api.core = SimpleNamespace(read_namespaced_config_map=lambda name, ns: SimpleNamespace(
        data={"result.json": json.dumps(payload)}, binary_data=None))
    assert api.read_result("x-result") == payload


def test_times_and_durations() -> None:
    t = parse_time("2026-11-30T00:13:59.352602123Z")
    assert t is not None and t.microsecond == 352602 and t.utcoffset().total_seconds() == 0
    assert parse_time("2026-11-30T00:13:59Z").second == 59
    assert to_duration(90) == "90s" and to_duration(1.5) == "1500ms" and to_duration("1h30m") == "1h30m"
    assert duration_seconds("1h30m") == 5400 and duration_seconds("250us") == pytest.approx(250e-6)
    with pytest.raises(ValueError, match="duration"):
        to_duration("soon")
    with pytest.raises(ValueError):
        to_duration(0)


def test_no_credentials_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "absent"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    with pytest.raises(KubeQpuError, match="no Kubernetes credentials"):
        KubeQpuService()
