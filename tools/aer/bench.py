"""Side-by-side benchmark: kubeqpu's simulator (HTTP API, statevector) against Qiskit Aer (method statevector),
same circuits, same thread count, 1,000 shots. Prints wall times and ratios (kubeqpu / Aer; < 1 means kubeqpu is
faster), then runs the Java SimulatorBench for the 1-qubit sweep against an in-place read-modify-write baseline.

Usage (through tools/aer/run-tests.sh --bench [--threads N] [--max-qubits 26] [--skip-java]).
kubeqpu's time is the job's device time (start to finish on the simulator, time scale 0), which includes
compiling the bound circuit and building the result JSON but not HTTP; Aer's is run().result() after transpile.
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np
from qiskit import QuantumCircuit, qasm3, transpile
from qiskit.circuit.library import QFTGate
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import SparsePauliOp
from qiskit_aer import AerSimulator
from qiskit_aer.primitives import EstimatorV2

sys.path.insert(0, os.path.dirname(__file__))
from kubeqpu_sim import Simulator, execution_seconds  # noqa: E402

SHOTS = 1000
AER_DYNAMIC_SHOTS = 10


def layered(n, depth, seed, mid=None):
    """u3 layers and alternating cx ladders; `mid` = layer after which q[0] is measured and reset."""
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(n, n + (1 if mid is not None else 0))
    for layer in range(depth):
        for q in range(n):
            qc.u(*rng.uniform(0, 2 * np.pi, 3), q)
        for q in range(layer % 2, n - 1, 2):
            qc.cx(q, q + 1)
        if mid is not None and layer == mid:
            qc.measure(0, n)
            qc.reset(0)
    qc.measure(range(n), range(n))
    return qc


def time_ours(sim, qasm, shots=SHOTS, **extra):
    best = None
    for _ in range(extra.pop("repeats", 1)):
        status = sim.run({"primitive": "sampler", "shots": shots, "seed": 1, "pubs": [{"circuit": qasm}]})
        assert status["state"] == "COMPLETED", status
        t = execution_seconds(status)
        best = t if best is None else min(best, t)
    return best


def time_aer(aer, qc, repeats=1):
    tqc = transpile(qc, aer, optimization_level=0)
    best = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        aer.run(tqc, shots=SHOTS, seed_simulator=1).result()
        t = time.perf_counter() - t0
        best = t if best is None else min(best, t)
    return best


def row(name, ours, aer):
    print(f"{name:<48} kubeqpu {ours:8.3f} s   aer {aer:8.3f} s   ratio {ours / aer:5.2f}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--max-qubits", type=int, default=26)
    ap.add_argument("--skip-java", action="store_true")
    ap.add_argument("--skip-random", action="store_true", help="skip the random-circuit rows")
    ap.add_argument("--skip-qft", action="store_true")
    args = ap.parse_args()
    t = args.threads
    print(f"threads {t}, shots {SHOTS}, cores {os.cpu_count()}; load average at start {os.getloadavg()}", flush=True)
    aer = AerSimulator(method="statevector", max_parallel_threads=t, max_parallel_experiments=1)
    sim = Simulator(threads=t, heap="6g")
    try:
        for n in [16, 20, 24, 26]:
            if n > args.max_qubits or args.skip_random:
                continue
            qc = random_circuit(n, 20, max_operands=2, measure=True, seed=n)
            reps = 2 if n <= 20 else 1
            row(f"random depth 20, {n} qubits", time_ours(sim, qasm3.dumps(qc), repeats=reps), time_aer(aer, qc, reps))
        n = min(24, args.max_qubits)
        qc = QuantumCircuit(n)
        for q in range(n):
            qc.rx(0.1 * (q + 1), q)
        qc.append(QFTGate(n), range(n))
        qc.measure_all()
        qft = qc.decompose(gates_to_decompose=["qft"])
        if not args.skip_qft:
            row(f"QFT, {n} qubits", time_ours(sim, qasm3.dumps(qft)), time_aer(aer, qft))

        static = layered(20, 20, 5)
        dynamic = layered(20, 20, 5, mid=10)
        ours_static = time_ours(sim, qasm3.dumps(static), repeats=2)
        ours_dynamic = time_ours(sim, qasm3.dumps(dynamic), repeats=2)
        row("layered 20 qubits, depth 20, static", ours_static, time_aer(aer, static, 2))
        print(f"{'':<48} kubeqpu dynamic {ours_dynamic:.3f} s", flush=True)
        # Aer re-simulates a dynamic circuit per shot (its shot branching held ~9 GB at 20 qubits here and did not
        # finish in 5 minutes): its time is measured on AER_DYNAMIC_SHOTS shots and scaled to 1,000.
        tdyn = transpile(dynamic, aer, optimization_level=0)
        t0 = time.perf_counter()
        aer.run(tdyn, shots=AER_DYNAMIC_SHOTS, seed_simulator=1).result()
        aer_dynamic = (time.perf_counter() - t0) * SHOTS / AER_DYNAMIC_SHOTS
        row(f"same + mid-circuit measure and reset (aer x{SHOTS // AER_DYNAMIC_SHOTS})", ours_dynamic, aer_dynamic)
        print(f"{'dynamic / static (kubeqpu)':<48} {ours_dynamic / ours_static:5.2f}  (goal <= 2)", flush=True)

        rng = np.random.default_rng(50)
        est = random_circuit(20, 10, max_operands=2, seed=20)
        terms = [("".join(rng.choice(list("IXYZ"), 20)), float(rng.uniform(-1, 1))) for _ in range(50)]
        t0 = time.perf_counter()
        status = sim.run({"primitive": "estimator", "seed": 1, "pubs": [
            {"circuit": qasm3.dumps(est), "observables": [dict(terms)], "precision": 0.01}]})
        assert status["state"] == "COMPLETED", status
        ours = execution_seconds(status)
        estimator = EstimatorV2(options={"backend_options": {"method": "statevector", "max_parallel_threads": t}})
        test = transpile(est, aer, optimization_level=0)
        t0 = time.perf_counter()
        exact = estimator.run([(test, SparsePauliOp.from_list(terms))]).result()[0].data.evs
        aer_t = time.perf_counter() - t0
        row("estimator, 20 qubits, 50 Pauli terms", ours, aer_t)
        print(f"{'':<48} kubeqpu ev {status['result']['results'][0]['data']['evs'][0]:+.4f} "
              f"(precision 0.01), aer exact {float(exact):+.4f}", flush=True)
    finally:
        sim.close()
    print(f"load average at end {os.getloadavg()}", flush=True)
    if not args.skip_java:
        cp = os.environ["KUBEQPU_CLASSPATH"].replace("target/classes", "target/classes:target/test-classes", 1)
        subprocess.run(["java", "-Xmx6g", "-cp", cp, "io.kubeqpu.bench.SimulatorBench", str(args.max_qubits)],
                       check=True)


if __name__ == "__main__":
    main()
