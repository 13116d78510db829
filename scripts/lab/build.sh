#!/usr/bin/env bash
# Builds (or reuses) the lab's data-plane binaries from Go modules, cached next to the
# control plane (see docs/lab.md):
#   kube-proxy  from k8s.io/kubernetes (K8S_VERSION of scripts/cluster/versions.env), the
#               same wrapper module as the control plane's kube-apiserver
#   traefik     from github.com/traefik/traefik/v3 (TRAEFIK_VERSION of scripts/lab/versions.env),
#               the Ingress and Gateway API controller
#
#   bash scripts/lab/build.sh               # build what is missing, print the bin dir
#   bash scripts/lab/build.sh --print-dir   # only print the cache dir (no build)
#
# Output: $EXPOSECTL_CONTROLPLANE_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/controlplane)
#   /lab-kube-proxy-<v>-traefik-<v>/bin/{kube-proxy,traefik}. Nothing is written in the repo.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/versions.env
source "$HERE/../cluster/versions.env"
# shellcheck source=scripts/lab/versions.env
source "$HERE/versions.env"
# shellcheck source=scripts/cluster/build-lib.sh
source "$HERE/../cluster/build-lib.sh"
BUILD_TOOL=lab:build

cache_dirs "lab-kube-proxy-${K8S_VERSION}-traefik-${TRAEFIK_VERSION}"

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

# kube-proxy: the same wrapper module as the control plane, so the Go build cache of the
# control-plane build is reused (only pkg/proxy and cmd/kube-proxy compile anew).
build_kube_proxy() {
  local v=$K8S_VERSION w="$WORK/kube-proxy"
  rm -rf "$w"; mkdir -p "$w"
  k8s_wrapper_module "$w" "$v" || return 1
  (
    cd "$w" || exit 1
    "$GO" get "k8s.io/kubernetes/cmd/kube-proxy@v$v" || exit 1
    CGO_ENABLED=0 "$GO" build -pgo=off -trimpath -ldflags "$(k8s_version_ldflags "$v")" -o "$BIN/.kube-proxy.tmp" k8s.io/kubernetes/cmd/kube-proxy || exit 1
  ) || return 1
  mv "$BIN/.kube-proxy.tmp" "$BIN/kube-proxy"
}

# traefik: its go.mod has replace directives (one of them a path inside the module), which
# `go install pkg@version` refuses; so build inside a writable copy of the module.
build_traefik() {
  local v=$TRAEFIK_VERSION w="$WORK/traefik" dir
  rm -rf "$w"
  dir=$(module_dir "github.com/traefik/traefik/v3@v$v") || return 1
  cp -r "$dir" "$w" && chmod -R u+w "$w" || return 1
  local V="-X github.com/traefik/traefik/v3/pkg/version"
  (cd "$w" && CGO_ENABLED=0 "$GO" build -pgo=off -trimpath -ldflags "-s -w $V.Version=v$v $V.BuildDate=1970-01-01T00:00:00Z" -o "$BIN/.traefik.tmp" ./cmd/traefik) || return 1
  mv "$BIN/.traefik.tmp" "$BIN/traefik"
}

# Traefik first: it shares no packages with the control plane, so it can compile while
# cluster:build still runs; kube-proxy then finds the Kubernetes packages in the Go build cache.
[[ -x "$BIN/traefik" ]] && log "traefik: reusing" || step "traefik v$TRAEFIK_VERSION" build_traefik
[[ -x "$BIN/kube-proxy" ]] && log "kube-proxy: reusing" || step "kube-proxy v$K8S_VERSION" build_kube_proxy

all_present || die "build finished but some binaries are missing in $BIN"
rm -rf "$WORK"
log "built everything in $((SECONDS - START_ALL))s into $OUT"
echo "$BIN"
