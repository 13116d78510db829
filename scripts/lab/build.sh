#!/usr/bin/env bash
# Builds (or reuses) the lab's data-plane binaries from Go modules, cached next to the
# control plane (see docs/lab.md):
#   kube-proxy  from k8s.io/kubernetes (K8S_VERSION of scripts/cluster/versions.env)
#   traefik     from github.com/traefik/traefik/v3 (TRAEFIK_VERSION of scripts/lab/versions.env),
#               the Ingress and Gateway API controller
# both in the module the control plane is built in (build-lib.sh shared_module), so that
# they compile only what the control plane's build did not already put in the Go build cache.
#
#   bash scripts/lab/build.sh               # build what is missing, print the bin dir
#   bash scripts/lab/build.sh --print-dir   # only print the cache dir (no build)
#
# Output: $EXPOSECTL_CONTROLPLANE_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/controlplane)
#   /lab-k8s-<v>-etcd-<v>-metallb-<v>-traefik-<v>/bin/{kube-proxy,traefik}. Nothing is written in the repo.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/versions.env
source "$HERE/../cluster/versions.env"
# shellcheck source=scripts/lab/versions.env
source "$HERE/versions.env"
# shellcheck source=scripts/cluster/build-lib.sh
source "$HERE/../cluster/build-lib.sh"
BUILD_TOOL=lab:build

cache_dirs "lab-$(shared_graph_key)"

if [[ "${1:-}" == "--print-dir" ]]; then echo "$OUT"; exit 0; fi

all_present() { [[ -x "$BIN/kube-proxy" && -x "$BIN/traefik" ]]; }

if all_present; then
  log "reusing cached lab binaries in $OUT (nothing to build)"
  echo "$BIN"
  exit 0
fi

go_prerequisites
mkdir -p "$BIN" "$WORK"
lock_build "$OUT"
if all_present; then log "reusing cached lab binaries in $OUT (built by a concurrent run)"; echo "$BIN"; exit 0; fi

START_ALL=$SECONDS

# Traefik's ACME DNS providers and the cloud SDKs behind them are 5,700 of the 9,700 Go files
# that Traefik adds to the control plane's build, and the lab never runs them: compiled without
# optimisation (-N -l), they cost about a quarter less CPU. None is in the control plane's
# graph, so the packages shared with it keep their flags and their cache entries.
NEVER_RUN_IN_LAB=(github.com/aws/... github.com/go-acme/... github.com/huaweicloud/... github.com/sacloud/...
  github.com/nrdcg/... github.com/Azure/... github.com/linode/... github.com/softlayer/...
  github.com/yandex-cloud/... gopkg.in/ns1/...)
build_lab() {
  local w="$WORK/shared" T="-X github.com/traefik/traefik/v3/pkg/version" p gcflags=()
  for p in "${NEVER_RUN_IN_LAB[@]}"; do gcflags+=("-gcflags=$p=-N -l"); done
  rm -rf "$w"; mkdir -p "$w/out"
  shared_module "$w" || return 1
  (
    cd "$w" || exit 1
    CGO_ENABLED=0 "$GO" build -pgo=off -trimpath -o "$w/out/" "${gcflags[@]}" \
      -ldflags "$(k8s_version_ldflags "$K8S_VERSION") $T.Version=v$TRAEFIK_VERSION $T.BuildDate=1970-01-01T00:00:00Z" \
      k8s.io/kubernetes/cmd/kube-proxy github.com/traefik/traefik/v3/cmd/traefik || exit 1
  ) || return 1
  mv "$w/out/kube-proxy" "$BIN/kube-proxy" && mv "$w/out/traefik" "$BIN/traefik"
}
step "kube-proxy v$K8S_VERSION, traefik v$TRAEFIK_VERSION" build_lab

all_present || die "build finished but some binaries are missing in $BIN"
rm -rf "$WORK"
log "built everything in $((SECONDS - START_ALL))s into $OUT"
echo "$BIN"
