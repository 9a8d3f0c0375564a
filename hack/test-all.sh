#!/usr/bin/env bash
# Every test of the project, as the README's test command: Java (unit, property, operator, and the packaged operator
# against a real kube-apiserver + etcd + kube-controller-manager built from Go modules), the Qiskit client against the
# embedded default, and the simulator against Qiskit Aer. Exits non-zero when any of them fails.
set -euo pipefail
cd "$(dirname "$0")/.."

realcluster=()
if command -v go >/dev/null 2>&1; then
  start=$(date +%s)
  bash hack/kube-binaries.sh   # cached in ~/.cache/kubeqpu/k8s-<version>: ~25 min cold, instant warm
  echo "kube binaries ready in $(( $(date +%s) - start )) s"
  # Binaries present, so a realcluster test that cannot start its control plane fails instead of skipping.
  realcluster=(-Drealcluster.required=true)
  # Its kubectl and helm also serve the kubectl-driven tests of the embedded API server (KubectlSessionTest) where the
  # machine has none of its own (appended: an installed kubectl is used first). The embedded API server sends no
  # watch bookmarks, which kubectl >= 1.35's WatchList client waits for: off for these tests.
  export PATH="$PATH:$(bash hack/kube-binaries.sh --print-dir)"
  export KUBE_FEATURE_WatchListClient=false
else
  echo "test-all: no Go toolchain, so the realcluster tests (real kube-apiserver) skip"
fi

# Unit and operator tests (surefire), then the packaged operator against the real API server (failsafe, *IT).
./mvnw -B -ntp verify "${realcluster[@]}"

if command -v python3.11 >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1; then
  # The jar verify just packaged is the embedded default the Qiskit tests talk to.
  PYTHON="$(command -v python3.11 || command -v python3)" bash clients/python/run-tests.sh
  bash tools/aer/run-tests.sh
else
  echo "test-all: no Python 3, so the Qiskit client and Aer differential tests skip"
fi
