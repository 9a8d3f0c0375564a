"""Starts the embedded kubeqpu cluster (``java -jar target/quarkus-app/quarkus-run.jar local``) once per test run.

It applies tests/cluster/ (noiseless backends, a premium default instance and an open-plan one) instead of
config/samples/, prints ``export KUBECONFIG=...`` and serves the API until it is stopped at the end of the run.
``KUBEQPU_TEST_KUBECONFIG=path`` runs the tests against an existing cluster instead (it must hold the same objects).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # circuits.py, future_circuits.py

from kubeqpu_qiskit import KubeQpuService  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
JAR = REPO / "target" / "quarkus-app" / "quarkus-run.jar"
MANIFESTS = Path(__file__).parent / "cluster"

#: The embedded cluster's process and log, while it runs (None against an existing cluster).
_CLUSTER: dict[str, object] = {}

#: Worst cases of the comparison with qiskit-aer (figure, case), printed at the end of the run.
REPORT: dict[str, tuple[float, str]] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT:
        terminalreporter.section("kubeqpu against qiskit-aer: worst cases")
        for what, (value, case) in sorted(REPORT.items()):
            terminalreporter.write_line(f"{what}: {value:.4f}  [{case}]")


@pytest.fixture(scope="session")
def kubeconfig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    existing = os.environ.get("KUBEQPU_TEST_KUBECONFIG")
    if existing:
        yield existing
        return
    if not JAR.exists():
        pytest.fail(f"{JAR} is missing: build it first with ./mvnw -B -ntp -q package -DskipTests", pytrace=False)
    workdir = tmp_path_factory.mktemp("kubeqpu-local")
    log_path = workdir / "local.log"
    # Output to a file, not a pipe: the timeline it prints for every job would fill a pipe nobody drains.
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(["java", "-Xmx2g", "-jar", str(JAR), "local", "--samples", str(MANIFESTS)],
                            cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    _CLUSTER.update(proc=proc, log=log_path)
    try:
        path = _await_kubeconfig(proc, log_path, timeout=180.0)
        yield path
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        _CLUSTER.clear()


@pytest.fixture(autouse=True)
def _cluster_alive() -> None:
    """Fail fast, with its log, if the embedded cluster died (rather than every test timing out on connections)."""
    proc = _CLUSTER.get("proc")
    if isinstance(proc, subprocess.Popen) and proc.poll() is not None:
        log = Path(str(_CLUSTER["log"])).read_text(encoding="utf-8", errors="replace")
        pytest.fail(f"the embedded cluster exited with {proc.returncode}; its log ends:\n{log[-3000:]}", pytrace=False)


def _await_kubeconfig(proc: subprocess.Popen[bytes], log_path: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        m = re.search(r"export KUBECONFIG=(\S+)", text)
        if m:
            return m.group(1)
        if proc.poll() is not None:
            pytest.fail(f"the embedded cluster exited with {proc.returncode}:\n{text[-4000:]}", pytrace=False)
        time.sleep(0.2)
    pytest.fail(f"no 'export KUBECONFIG=' from the embedded cluster within {timeout} s:\n"
                f"{log_path.read_text(encoding='utf-8', errors='replace')[-4000:]}", pytrace=False)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def service(kubeconfig: str) -> KubeQpuService:
    return KubeQpuService(config_file=kubeconfig)


@pytest.fixture(scope="session")
def students(kubeconfig: str) -> KubeQpuService:
    """Billed to the open-plan instance ``students``."""
    return KubeQpuService(config_file=kubeconfig, instance="students")
