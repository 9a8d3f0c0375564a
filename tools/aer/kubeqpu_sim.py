"""kubeqpu's simulator pod, started locally and driven through its HTTP API (docs/simulator.md)."""
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    """Linux: the simulator gets SIGTERM when this Python process dies (no orphan JVM after a timeout kill)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Simulator:
    """`java -cp $KUBEQPU_CLASSPATH io.kubeqpu.Main simulator` with a wide noiseless backend and time scale 0."""

    def __init__(self, threads=0, num_qubits=30, memory_budget_bytes=0, heap="6g"):
        self.port = _free_port()
        cp = os.environ.get("KUBEQPU_CLASSPATH")
        if not cp:
            raise RuntimeError("KUBEQPU_CLASSPATH is not set; run tools/aer/run-tests.sh")
        env = dict(os.environ)
        env["KUBEQPU_SIMULATOR_PORT"] = str(self.port)
        env["KUBEQPU_BACKEND_PROFILE"] = json.dumps({
            "name": "aer-diff", "numQubits": num_qubits, "basisGates": [], "requireIsa": False})
        env["KUBEQPU_DEVICE_OPTIONS"] = json.dumps({
            "prepareLanes": 2, "parallelism": 1, "timeScale": 0.0, "retainedJobs": 10000,
            "threads": threads, "memoryBudgetBytes": memory_budget_bytes})
        self.log = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"kubeqpu-sim-{self.port}.log"), "w")
        self.proc = subprocess.Popen(["java", f"-Xmx{heap}", "-cp", cp, "io.kubeqpu.Main", "simulator"],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        deadline = time.time() + 60
        while True:
            try:
                self._get("/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"simulator did not start; see {self.log.name}")
                time.sleep(0.2)

    def _url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def _get(self, path):
        with urllib.request.urlopen(self._url(path), timeout=600) as r:
            return json.loads(r.read())

    def _post(self, path, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        req = urllib.request.Request(self._url(path), data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=600) as r:
            return json.loads(r.read())

    def run(self, request, timeout=3600):
        """Prepares, starts and waits for a job; returns its final status (with `result` when completed)."""
        job = "j-" + uuid.uuid4().hex[:12]
        self._post(f"/v1/jobs/{job}", request)
        self._post(f"/v1/jobs/{job}:start")
        deadline = time.time() + timeout
        delay = 0.002
        while True:
            status = self._get(f"/v1/jobs/{job}")
            if status["state"] in ("COMPLETED", "FAILED", "CANCELLED"):
                return status
            if time.time() > deadline:
                raise TimeoutError(f"job {job} still {status['state']}")
            time.sleep(delay)
            delay = min(0.05, delay * 1.5)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def execution_seconds(status):
    """Seconds between the job's start and finish on the device (time scale 0: the simulation itself)."""
    def parse(t):
        return datetime.fromisoformat(t.replace("Z", "+00:00"))
    return (parse(status["finishedAt"]) - parse(status["startedAt"])).total_seconds()


def joint_counts(pub_result, cregs):
    """Per-shot register samples joined as Qiskit/Aer keys: registers in reverse order, space separated."""
    data = pub_result["data"]
    # A PUB bound with parameter values has a leading parameter-set axis: take the first (only) set.
    per_reg = [(r.name, r.size, data[r.name]["samples"]) for r in reversed(cregs)]
    per_reg = [(n, size, s[0] if s and isinstance(s[0], list) else s) for n, size, s in per_reg]
    shots = len(per_reg[0][2]) if per_reg else 0
    counts = {}
    for s in range(shots):
        key = " ".join(format(int(samples[s], 16), f"0{size}b") for _, size, samples in per_reg)
        counts[key] = counts.get(key, 0) + 1
    return counts
