#!/usr/bin/env bash
# The kubeqpu-qiskit tests, as CI runs them: creates (or reuses) the virtual environment, installs the package in
# editable mode with its pinned test extras, and runs pytest. A fixture starts the embedded cluster from the jar, so
# build that first (from the repository root): ./mvnw -B -ntp -q package -DskipTests
# Extra arguments go to pytest (e.g. -k vqe, -x).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${KUBEQPU_VENV:-$HOME/.cache/kubeqpu/venv}"
python="${PYTHON:-python3.11}"
jar="$repo/target/quarkus-app/quarkus-run.jar"

if [ ! -f "$jar" ]; then
  echo "run-tests.sh: $jar is missing; build it first: ./mvnw -B -ntp -q package -DskipTests" >&2
  exit 2
fi
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
# Idempotent; quick when the pins (pyproject.toml, [test]) are already installed.
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$here[test]"
cd "$here"
exec "$venv/bin/python" -m pytest -q -rxX --durations=5 "$@"
