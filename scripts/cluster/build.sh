#!/usr/bin/env bash
# Builds (or reuses) the binaries of the test control plane from Go modules, and copies
# the MetalLB and Gateway API CRDs next to them. See docs/development.md.
#
#   bash scripts/cluster/build.sh            # build what is missing, print the bin dir
#   bash scripts/cluster/build.sh --print-dir  # only print the cache dir (no build)
#
# Output: $EXPOSECTL_CONTROLPLANE_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/controlplane)
#   /<key>/bin/{etcd,kube-apiserver,kube-controller-manager,kube-scheduler,kubectl,kwok,metallb-controller,metallb-speaker}
#   /<key>/crds/{metallb,gateway-api/standard,gateway-api/experimental}/*.yaml
# where <key> = k8s-<v>-etcd-<v>-kwok-<v>-metallb-<v>-gwapi-<v>. Nothing is written in the repo.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/versions.env
source "$HERE/versions.env"
# shellcheck source=scripts/cluster/build-lib.sh
source "$HERE/build-lib.sh"
BUILD_TOOL=cluster:build

KEY="k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}-kwok-${KWOK_VERSION}-metallb-${METALLB_VERSION}-gwapi-${GATEWAY_API_VERSION}"
cache_dirs "$KEY"
CRDS="$OUT/crds"

if [[ "${1:-}" == "--print-dir" ]]; then echo "$OUT"; exit 0; fi
bash "$HERE/crds-extra.sh" >/dev/null || log "extra CRDs (Istio, external-dns) not fetched: scripts/cluster/crds-extra.sh failed (see above)"

BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok metallb-controller metallb-speaker)

all_present() {
  local b
  for b in "${BINARIES[@]}"; do [[ -x "$BIN/$b" ]] || return 1; done
  [[ -f "$CRDS/.complete" ]] || return 1
}

if all_present; then
  log "reusing cached control plane in $OUT (nothing to build)"
  echo "$BIN"
  exit 0
fi

# --- prerequisites --------------------------------------------------------------------
go_prerequisites
mkdir -p "$BIN" "$CRDS" "$WORK"
lock_build "$OUT"
if all_present; then log "reusing cached control plane in $OUT (built by a concurrent run)"; echo "$BIN"; exit 0; fi

START_ALL=$SECONDS

# --- etcd -----------------------------------------------------------------------------
build_etcd() {
  local w="$WORK/etcd"
  rm -rf "$w"; mkdir -p "$w"
  module_dir "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >/dev/null || return 1
  (
    cd "$w" || exit 1
    "$GO" mod init local/etcdbin >/dev/null 2>&1 || exit 1
    "$GO" mod edit -require="go.etcd.io/etcd/server/v3@v$ETCD_VERSION" || exit 1
    "$GO" get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" || exit 1
    CGO_ENABLED=0 "$GO" build -trimpath -ldflags "-s -w" -o "$BIN/.etcd.tmp" go.etcd.io/etcd/server/v3 || exit 1
  ) || return 1
  mv "$BIN/.etcd.tmp" "$BIN/etcd"
}

# --- kube-apiserver, kube-controller-manager, kube-scheduler, kubectl ---------------------
build_kubernetes() {
  local v=$K8S_VERSION w="$WORK/kubernetes"
  rm -rf "$w"; mkdir -p "$w"
  k8s_wrapper_module "$w" "$v" || return 1
  (
    cd "$w" || exit 1
    local pkgs=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
                k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
    local p args=()
    for p in "${pkgs[@]}"; do args+=("$p@v$v"); done
    "$GO" get "${args[@]}" || exit 1
    mkdir -p "$w/out"
    CGO_ENABLED=0 "$GO" build -pgo=off -trimpath -ldflags "$(k8s_version_ldflags "$v")" -o "$w/out/" "${pkgs[@]}" || exit 1
  ) || return 1
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do mv "$w/out/$b" "$BIN/$b" || return 1; done
}

# --- kwok -------------------------------------------------------------------------------
build_kwok() {
  local tmp="$WORK/kwok-bin"
  rm -rf "$tmp"; mkdir -p "$tmp"
  module_dir "sigs.k8s.io/kwok@v$KWOK_VERSION" >/dev/null || return 1
  (cd "$WORK" && GOBIN="$tmp" CGO_ENABLED=0 "$GO" install -trimpath \
     -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION" \
     "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION") || return 1
  mv "$tmp/kwok" "$BIN/kwok" || return 1
}

# --- MetalLB controller and speaker ---------------------------------------------------------
build_metallb() {
  local tmp="$WORK/metallb-bin"
  rm -rf "$tmp"; mkdir -p "$tmp"
  module_dir "go.universe.tf/metallb@v$METALLB_VERSION" >/dev/null || return 1
  (cd "$WORK" && GOBIN="$tmp" CGO_ENABLED=0 "$GO" install -trimpath -ldflags "-s -w" \
     "go.universe.tf/metallb/controller@v$METALLB_VERSION" \
     "go.universe.tf/metallb/speaker@v$METALLB_VERSION") || return 1
  mv "$tmp/controller" "$BIN/metallb-controller" || return 1
  mv "$tmp/speaker" "$BIN/metallb-speaker" || return 1
}

# --- CRDs -------------------------------------------------------------------------------
copy_crds() {
  local mdir gdir f
  mdir=$(module_dir "go.universe.tf/metallb@v$METALLB_VERSION") || return 1
  gdir=$(module_dir "sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION") || return 1
  rm -rf "$CRDS"; mkdir -p "$CRDS/metallb" "$CRDS/gateway-api/standard" "$CRDS/gateway-api/experimental" || return 1
  [[ -d "$mdir/config/crd/bases" ]] || { log "no config/crd/bases in $mdir"; return 1; }
  for f in "$mdir"/config/crd/bases/*.yaml; do install -m 0644 "$f" "$CRDS/metallb/" || return 1; done
  local ch
  for ch in standard experimental; do
    [[ -d "$gdir/config/crd/$ch" ]] || { log "no config/crd/$ch in $gdir"; return 1; }
    for f in "$gdir/config/crd/$ch"/*.yaml; do
      # only CustomResourceDefinitions (skip kustomization.yaml and policies)
      if grep -q '^kind: CustomResourceDefinition' "$f"; then install -m 0644 "$f" "$CRDS/gateway-api/$ch/" || return 1; fi
    done
  done
  touch "$CRDS/.complete"
}

# The Kubernetes binaries are most of the work: they are built in the foreground while
# etcd, kwok and MetalLB build one after the other beside them, so that each fills the
# other's waits (module downloads, single-threaded links) on a machine with few cores.
small_builds() {
  [[ -x "$BIN/etcd" ]] && log "etcd: reusing" || step "etcd v$ETCD_VERSION" build_etcd
  [[ -x "$BIN/kwok" ]] && log "kwok: reusing" || step "kwok v$KWOK_VERSION" build_kwok
  if [[ -x "$BIN/metallb-controller" && -x "$BIN/metallb-speaker" ]]; then log "metallb: reusing"
  else step "metallb v$METALLB_VERSION (controller, speaker)" build_metallb; fi
}
small_builds &
small_pid=$!
if [[ -x "$BIN/kube-apiserver" && -x "$BIN/kube-controller-manager" && -x "$BIN/kube-scheduler" && -x "$BIN/kubectl" ]]; then
  log "kubernetes: reusing"
else step "kubernetes v$K8S_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)" build_kubernetes; fi
wait "$small_pid" || die "etcd, kwok or MetalLB failed (see messages above)"
[[ -f "$CRDS/.complete" ]] && log "crds: reusing" || step "crds (metallb v$METALLB_VERSION, gateway-api v$GATEWAY_API_VERSION)" copy_crds

all_present || die "build finished but some binaries are missing in $BIN"
rm -rf "$WORK"
log "built everything in $((SECONDS - START_ALL))s into $OUT"
echo "$BIN"
