"""Qiskit Runtime's execution-modes examples, written the Qiskit way against the embedded kubeqpu cluster:
only the imports (and the service) differ from code written for IBM's service."""

from __future__ import annotations

import time
from datetime import timedelta

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.circuit.library import efficient_su2
from qiskit.providers import JobStatus
from qiskit.providers.exceptions import QiskitBackendNotFoundError
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from scipy.optimize import minimize

from kubeqpu_qiskit import (
    Batch,
    EstimatorV2,
    KubeQpuJobCancelledError,
    KubeQpuJobFailureError,
    KubeQpuService,
    KubeQpuWorkloadError,
    SamplerV2,
    Session,
)


def bell() -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    return qc


# --- service and backends ------------------------------------------------------------------------------------------

def test_backends_carry_qubits_basis_gates_and_coupling_map(service: KubeQpuService) -> None:
    assert [b.name for b in service.backends()] == ["sim-any", "sim-line", "sim-slow"]
    line = service.backend("sim-line")
    assert line.num_qubits == 10
    assert set(line.operation_names) == {"ecr", "id", "rz", "sx", "x", "measure", "reset", "delay", "if_else"}
    assert sorted(line.coupling_map.get_edges()) == sorted([(q, q + 1) for q in range(9)] + [(q + 1, q) for q in range(9)])
    assert line.target["ecr"][(0, 1)].duration == pytest.approx(500e-9)
    assert line.require_isa
    anything = service.backend("sim-any")
    assert anything.coupling_map is None  # all-to-all
    assert {"cx", "ecr", "rzz", "ccx", "cswap", "iswap"} <= set(anything.operation_names)
    with pytest.raises(QiskitBackendNotFoundError, match="sim-nope"):
        service.backend("sim-nope")
    with pytest.raises(NotImplementedError, match="SamplerV2"):
        line.run(bell())


def test_transpiled_circuits_use_only_the_backends_native_gates_and_edges(service: KubeQpuService) -> None:
    backend = service.backend("sim-line")
    pm = generate_preset_pass_manager(backend=backend, optimization_level=1)
    qc = QuantumCircuit(4)
    qc.h(0)
    for k in range(3):
        qc.cx(0, k + 1)  # a star: needs routing on a line
    qc.measure_all()
    isa = pm.run(qc)
    edges = set(backend.coupling_map.get_edges())
    for inst in isa.data:
        assert inst.operation.name in backend.operation_names + ["barrier"]
        if inst.operation.num_qubits == 2:
            assert tuple(isa.find_bit(q).index for q in inst.qubits) in edges
    counts = SamplerV2(mode=backend).run([isa], shots=2000).result()[0].data.meas.get_counts()
    assert set(counts) == {"0000", "1111"}


# --- job mode ------------------------------------------------------------------------------------------------------

def test_job_mode_sampler(service: KubeQpuService) -> None:
    backend = service.backend("sim-line")
    pm = generate_preset_pass_manager(backend=backend, optimization_level=1)
    isa_circuit = pm.run(bell())

    sampler = SamplerV2(mode=backend)
    job = sampler.run([isa_circuit])
    print(f">>> Job ID: {job.job_id()}")
    print(f">>> Job Status: {job.status()}")
    result = job.result()
    pub_result = result[0]
    counts = pub_result.data.meas.get_counts()

    assert set(counts) == {"00", "11"} and sum(counts.values()) == 4096
    assert abs(counts["00"] - 2048) < 4 * 32  # 4 standard deviations of a binomial(4096, 1/2)
    assert job.status() is JobStatus.DONE and job.done() and job.in_final_state()
    metrics = job.metrics()
    assert metrics["mode"] == "job" and metrics["backend"] == "sim-line" and metrics["instance"] == "research"
    assert metrics["usage"]["quantum_seconds"] > 1.0  # overhead 1 s + 4096 x (250 us + circuit)
    t = metrics["timestamps"]
    assert t["queued"] <= t["running"] <= t["finished"]
    # The same result, read back by job id (another client, another process).
    again = service.job(job.job_id()).result()
    assert again[0].data.meas.get_counts() == counts
    assert np.array_equal(again[0].data.meas.array, pub_result.data.meas.array)


def test_failed_job_raises_the_resources_reason_and_message(service: KubeQpuService) -> None:
    job = SamplerV2(mode=service.backend("sim-line")).run([bell()])  # not transpiled: h and cx are not native
    with pytest.raises(KubeQpuJobFailureError) as failure:
        job.result()
    assert failure.value.reason == "NonNativeGate"
    assert "not native on sim-line" in str(failure.value) and "transpile" in str(failure.value)
    assert job.status() is JobStatus.ERROR

    wide = QuantumCircuit(11)
    wide.h(10)
    wide.measure_all()
    with pytest.raises(KubeQpuJobFailureError, match="CircuitTooWide.*11 qubits.*10"):
        SamplerV2(mode=service.backend("sim-line")).run([wide]).result()


def test_queue_position_estimated_start_and_cancel(service: KubeQpuService) -> None:
    slow = service.backend("sim-slow")  # real-time timing, one slot
    long_circuit = bell()
    sampler = SamplerV2(mode=slow)
    running = sampler.run([long_circuit], shots=100_000)  # ~26 s of modelled QPU time
    _wait(lambda: running.status() is JobStatus.RUNNING, "first job running")
    armed = sampler.run([long_circuit], shots=1000)  # may be selected ahead of the free slot (then no position)
    queued = sampler.run([long_circuit], shots=1000)
    _wait(lambda: queued.queue_position() is not None and queued.estimated_start() is not None, "queue view")
    assert queued.status() is JobStatus.QUEUED and running.status() is JobStatus.RUNNING
    position = queued.queue_position()
    assert position in (1, 2)  # behind the armed job, or first if that one was selected to run next
    start = queued.estimated_start()
    # The operator's rough figure: now + position x mean run time of finished jobs (docs/observability.md).
    assert start is not None and start > running.metrics()["timestamps"]["running"]
    armed.cancel()
    queued.cancel()
    running.cancel()
    for job in (queued, running):
        with pytest.raises(KubeQpuJobCancelledError):
            job.result(timeout=30)
        assert job.status() is JobStatus.CANCELLED


# --- batch ---------------------------------------------------------------------------------------------------------

def test_batch_of_20_parameter_sweep_jobs(service: KubeQpuService) -> None:
    backend = service.backend("sim-line")
    theta = Parameter("θ")
    circuit = QuantumCircuit(2)
    circuit.ry(theta, 0)
    circuit.cx(0, 1)
    circuit.measure_all()
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit)
    sweeps = [np.linspace(0, np.pi, 5) + k * 0.05 for k in range(20)]

    with Batch(backend=backend) as batch:
        sampler = SamplerV2(mode=batch)
        jobs = [sampler.run([(isa, sweep.reshape(-1, 1))], shots=4000) for sweep in sweeps]
    results = [job.result() for job in jobs]

    for sweep, result in zip(sweeps, results):
        data = result[0].data.meas
        assert data.shape == (5,) and data.num_shots == 4000
        for i, angle in enumerate(sweep):
            p11 = data[i].get_counts().get("11", 0) / 4000
            assert abs(p11 - np.sin(angle / 2) ** 2) < 0.04, (angle, p11)
    assert {job.metrics()["mode"] for job in jobs} == {"batch"}
    assert {job.session_id for job in jobs} == {batch.session_id}
    assert batch.wait_until_ended(timeout=30) == "Closed"
    details = batch.details()
    assert details["jobs"]["total"] == 20 and details["jobs"]["completed"] == 20
    assert details["usage_time"] == pytest.approx(sum(job.usage() for job in jobs), rel=1e-6)


# --- session -------------------------------------------------------------------------------------------------------

def test_session_vqe_loop_runs_exclusively_back_to_back_and_closes(service: KubeQpuService, students: KubeQpuService) -> None:
    backend = service.backend("sim-line")
    hamiltonian = SparsePauliOp.from_list([("YZ", 0.3980), ("ZI", -0.3980), ("ZZ", -0.0113), ("XX", 0.1810)])
    ansatz = efficient_su2(hamiltonian.num_qubits, reps=1)
    pm = generate_preset_pass_manager(backend=backend, optimization_level=1)
    isa_ansatz = pm.run(ansatz)
    isa_observable = hamiltonian.apply_layout(isa_ansatz.layout)
    exact = float(np.min(np.linalg.eigvalsh(hamiltonian.to_matrix())))

    jobs = []
    observed: dict[str, object] = {}
    other = None

    def cost_func(params, ansatz, hamiltonian, estimator):  # as in Qiskit Runtime's VQE tutorial
        nonlocal other
        pub = (ansatz, [hamiltonian], [params])
        job = estimator.run(pubs=[pub])
        jobs.append(job)
        energy = job.result()[0].data.evs[0]
        if len(jobs) == 2:
            # Another tenant's job on the same QPU: it must wait until the session is over.
            other = SamplerV2(mode=students.backend("sim-line")).run([pm.run(bell())], shots=1000)
            observed.update(session.details())
        return energy

    x0 = 2 * np.pi * np.random.default_rng(3).random(ansatz.num_parameters)
    with Session(backend=backend) as session:
        estimator = EstimatorV2(mode=session, options={"default_precision": 0.01, "seed": 11})
        res = minimize(cost_func, x0, args=(isa_ansatz, isa_observable, estimator), method="cobyla",
                       options={"maxiter": 60})
        assert other is not None and other.status() is JobStatus.QUEUED  # still waiting: the QPU is the session's
    print(f"VQE: {res.fun:.4f} after {len(jobs)} jobs (exact ground energy {exact:.4f})")

    assert res.fun < exact + 0.25
    assert observed["state"] == "Active" and observed["lease_mode"] == "Exclusive"
    assert session.wait_until_ended(timeout=30) == "Closed"
    other.result(timeout=60)
    spans = [(j.metrics()["timestamps"]["running"], j.metrics()["timestamps"]["finished"]) for j in jobs]
    assert {j.metrics()["mode"] for j in jobs} == {"session"}
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert start >= end  # one at a time, in order
        assert start - end < timedelta(seconds=5)  # back to back: only the optimiser's step and a round trip between
    other_start = other.metrics()["timestamps"]["running"]
    assert other_start >= spans[-1][1], "another tenant's job ran inside the session"
    details = session.details()
    assert details["jobs"]["completed"] == len(jobs) and details["lease_mode"] is None


def test_closing_a_session_refuses_new_jobs_and_lets_submitted_ones_finish(service: KubeQpuService) -> None:
    backend = service.backend("sim-line")
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1).run(bell())
    session = Session(backend=backend, max_time="10m", interactive_ttl=30)
    with session:
        sampler = SamplerV2(mode=session)
        before = sampler.run([isa], shots=20_000)
    # Left the block: closed. The job submitted inside still runs; a new one is refused.
    assert session.details()["accepting_jobs"] is False
    after = sampler.run([isa])
    assert before.result()[0].data.meas.num_shots == 20_000
    with pytest.raises(KubeQpuJobFailureError) as refused:
        after.result(timeout=30)
    assert refused.value.reason == "WorkloadClosed"
    assert session.wait_until_ended(timeout=30) == "Closed"
    details = session.details()
    assert details["max_time"] == "10m" and details["interactive_timeout"] == "30s"


def test_cancelling_a_session_cancels_its_running_job(service: KubeQpuService) -> None:
    session = Session(backend=service.backend("sim-slow"))
    with session:
        job = SamplerV2().run([bell()], shots=100_000)  # mode from the `with` block; ~26 s on the QPU
        _wait(lambda: job.status() is JobStatus.RUNNING, "session job running")
        session.cancel()
        with pytest.raises(KubeQpuJobCancelledError):
            job.result(timeout=30)
    assert session.wait_until_ended(timeout=30) in ("Cancelled", "Deleted")


def test_open_plan_instance_refuses_a_session(students: KubeQpuService) -> None:
    backend = students.backend("sim-line")
    with pytest.raises(KubeQpuWorkloadError) as refused:
        with Session(backend=backend):
            pass
    assert refused.value.reason == "PlanNotAllowed"
    assert refused.value.phase == "Rejected"
    print(refused.value)
    # The same instance may still run batches and jobs.
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1).run(bell())
    with Batch(backend=backend) as batch:
        job = SamplerV2(mode=batch).run([isa], shots=100)
    assert job.result()[0].data.meas.num_shots == 100


def _wait(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        time.sleep(0.05)
