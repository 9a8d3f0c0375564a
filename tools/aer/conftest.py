import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from kubeqpu_sim import Simulator  # noqa: E402


@pytest.fixture(scope="session")
def kubeqpu():
    sim = Simulator(threads=int(os.environ.get("KUBEQPU_THREADS", "0")), heap="2g")
    yield sim
    sim.close()
