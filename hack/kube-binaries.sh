#!/usr/bin/env bash
# Builds the real control plane the realcluster tests run against, from Go modules, cached outside the work tree:
#   kube-apiserver, kube-controller-manager, kubectl   from k8s.io/kubernetes  $KUBE_VERSION
#   etcd                                               from go.etcd.io/etcd/server/v3 $ETCD_VERSION (its etcdmain
#                                                      package behind a three-line main, as etcd's own main.go does)
#   helm                                               from helm.sh/helm/v3 $HELM_VERSION
# Idempotent: a binary already in the cache is reused. Prints the cache's bin directory on the last line of stdout.
# Usage: hack/kube-binaries.sh            (build what is missing)
#        hack/kube-binaries.sh --print-dir (print the bin directory, build nothing)
set -euo pipefail

KUBE_VERSION=${KUBE_VERSION:-v1.37.2}   # go.mod: go 1.26.0, builds with the machine's Go 1.26
ETCD_VERSION=${ETCD_VERSION:-v3.7.0}    # the etcd release k8s.io/kubernetes $KUBE_VERSION itself requires
HELM_VERSION=${HELM_VERSION:-v3.22.0}

CACHE=${KUBEQPU_K8S_CACHE:-$HOME/.cache/kubeqpu/k8s-$KUBE_VERSION}
BIN=$CACHE/bin
if [[ "${1:-}" == "--print-dir" ]]; then echo "$BIN"; exit 0; fi

if ! command -v go >/dev/null 2>&1; then
  echo "kube-binaries: no Go toolchain on PATH; cannot build the control plane (the realcluster tests will skip)" >&2
  exit 3
fi
mkdir -p "$BIN" "$CACHE/src"

# CGO off: static binaries, no C toolchain needed. -p 2: the machine has 2 shared cores and kube-apiserver's link is
# memory hungry, so one `go build` at a time.
export CGO_ENABLED=0
export GOFLAGS="-trimpath -buildvcs=false"
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
PAR=${KUBE_BINARIES_PARALLEL:-2}

log() { echo "kube-binaries: $*" >&2; }
T_ALL=$(date +%s)
BUILT=()

# ---- Kubernetes: a scratch module requiring k8s.io/kubernetes. Its own go.mod replaces every staging module with
# ./staging/src/..., which a dependent module cannot see, so pin each one to the matching published v0.<minor>.<patch>.
kube_dir=$CACHE/src/kube
need_kube=0
for b in kube-apiserver kube-controller-manager kubectl; do [[ -x $BIN/$b ]] || need_kube=1; done
if (( need_kube )); then
  T=$(date +%s)
  mkdir -p "$kube_dir"
  cd "$kube_dir"
  # .resolved marks a finished `go mod tidy`; anything short of it (an interrupted run) starts over.
  [[ -f .resolved ]] || rm -f go.mod go.sum
  if [[ ! -f go.mod ]]; then
    go mod init kubeqpu.local/kubebins >/dev/null 2>&1
    gomod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    staging_version="v0.${KUBE_VERSION#v1.}"
    args=(-require="k8s.io/kubernetes@$KUBE_VERSION")
    while read -r mod; do
      args+=(-replace="$mod=$mod@$staging_version")
    done < <(sed -n 's#^\s*\(k8s.io/[A-Za-z0-9._-]*\) => ./staging/src/.*#\1#p' "$gomod")
    go mod edit "${args[@]}"
    log "pinned $(( ${#args[@]} - 1 )) staging modules to $staging_version"
    for c in kube-apiserver kube-controller-manager kubectl; do go mod edit -tool="k8s.io/kubernetes/cmd/$c"; done
    log "resolving k8s.io/kubernetes $KUBE_VERSION dependencies (downloads from the Go module proxy)"
    go mod tidy
    touch .resolved
  fi
  major=${KUBE_VERSION#v}; major=${major%%.*}
  minor=${KUBE_VERSION#v*.}; minor=${minor%%.*}
  ld="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  for c in kube-apiserver kube-controller-manager kubectl; do
    [[ -x $BIN/$c ]] && continue
    t=$(date +%s)
    log "building $c $KUBE_VERSION"
    go build -p "$PAR" -ldflags "$ld" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c"
    mv "$BIN/$c.tmp" "$BIN/$c"
    BUILT+=("$c $KUBE_VERSION ($(( $(date +%s) - t )) s)")
  done
  log "kubernetes binaries took $(( $(date +%s) - T )) s"
fi

# ---- etcd: go.etcd.io/etcd/server/v3's etcdmain is the whole server; etcd's repository wraps it in a main package of
# the root module, which is not needed for this.
if [[ ! -x $BIN/etcd ]]; then
  t=$(date +%s)
  etcd_dir=$CACHE/src/etcd
  mkdir -p "$etcd_dir"
  cd "$etcd_dir"
  [[ -f .resolved ]] || rm -f go.mod go.sum
  if [[ ! -f go.mod ]]; then
    go mod init kubeqpu.local/etcdbin >/dev/null 2>&1
    cat > main.go <<'EOF'
// etcd built from go.etcd.io/etcd/server/v3 for kubeqpu's realcluster tests.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
    go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    log "resolving go.etcd.io/etcd/server/v3 $ETCD_VERSION dependencies"
    go mod tidy
    touch .resolved
  fi
  log "building etcd $ETCD_VERSION"
  go build -p "$PAR" -ldflags "-s -w" -o "$BIN/etcd.tmp" .
  mv "$BIN/etcd.tmp" "$BIN/etcd"
  BUILT+=("etcd $ETCD_VERSION ($(( $(date +%s) - t )) s)")
fi

# ---- helm: helm.sh/helm/v3's go.mod has no replace directives, so `go install pkg@version` builds it as released.
if [[ ! -x $BIN/helm ]]; then
  t=$(date +%s)
  log "building helm $HELM_VERSION"
  GOBIN="$CACHE/src/helm-bin" go install -p "$PAR" \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  mv "$CACHE/src/helm-bin/helm" "$BIN/helm"
  BUILT+=("helm $HELM_VERSION ($(( $(date +%s) - t )) s)")
fi

cat > "$BIN/VERSIONS" <<EOF
kube-apiserver $KUBE_VERSION k8s.io/kubernetes
kube-controller-manager $KUBE_VERSION k8s.io/kubernetes
kubectl $KUBE_VERSION k8s.io/kubernetes
etcd $ETCD_VERSION go.etcd.io/etcd/server/v3
helm $HELM_VERSION helm.sh/helm/v3
EOF
if (( ${#BUILT[@]} )); then
  for b in "${BUILT[@]}"; do log "built $b"; done
  log "total $(( $(date +%s) - T_ALL )) s, $(go version)"
else
  log "all binaries cached in $BIN ($(( $(date +%s) - T_ALL )) s)"
fi
echo "$BIN"
