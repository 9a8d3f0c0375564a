#!/usr/bin/env bash
# Differential suite: kubeqpu's simulator (its real HTTP API, the `simulator` role of io.kubeqpu.Main) against
# Qiskit Aer on a generated corpus. Usage: tools/aer/run-tests.sh [pytest args]
#        tools/aer/run-tests.sh --bench   runs the side-by-side benchmark instead (minutes; CPU-heavy)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${KUBEQPU_VENV:-$HOME/.cache/kubeqpu/venv}
PINS=(qiskit==2.6.1 qiskit-aer==0.18.2 kubernetes scipy pytest)
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null; then
import qiskit, qiskit_aer, scipy, pytest, kubernetes
assert qiskit.__version__ == "2.6.1" and qiskit_aer.__version__ == "0.18.2"
PY
  "$VENV/bin/pip" install -q "${PINS[@]}"
fi
# The Java side runs from compiled classes: the same code as the simulator pod, without packaging.
./mvnw -B -ntp -q compile
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.outputFile=target/aer-classpath.txt -Dmdep.includeScope=runtime
export KUBEQPU_CLASSPATH="target/classes:$(cat target/aer-classpath.txt)"
if [ "${1:-}" = "--bench" ]; then
  shift
  ./mvnw -B -ntp -q test-compile
  exec "$VENV/bin/python" tools/aer/bench.py "$@"
fi
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider tools/aer "$@"
