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
# where <key> = k8s-<v>-etcd-<v>-metallb-<v>-traefik-<v>-kwok-<v>-gwapi-<v>. Nothing is written in the repo.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/versions.env
source "$HERE/versions.env"
# shellcheck source=scripts/lab/versions.env
source "$HERE/../lab/versions.env"
# shellcheck source=scripts/cluster/build-lib.sh
source "$HERE/build-lib.sh"
BUILD_TOOL=cluster:build

# Traefik is in the key: its dependencies' versions are part of the graph shared with the lab.
KEY="$(shared_graph_key)-kwok-${KWOK_VERSION}-gwapi-${GATEWAY_API_VERSION}"
cache_dirs "$KEY"
CRDS="$OUT/crds"

if [[ "${1:-}" == "--print-dir" ]]; then echo "$OUT"; exit 0; fi
bash "$HERE/crds-extra.sh" >/dev/null || log "extra CRDs (Istio, external-dns) not fetched: scripts/cluster/crds-extra.sh failed (see above)"

# Built in one `go build` in the module shared with the lab (build-lib.sh shared_module); kwok apart.
SHARED_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd metallb-controller metallb-speaker)
BINARIES=("${SHARED_BINARIES[@]}" kwok)

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

# --- kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, MetalLB ---------
build_shared() {
  local w="$WORK/shared"
  rm -rf "$w"; mkdir -p "$w/out"
  shared_module "$w" || return 1
  (
    cd "$w" || exit 1
    CGO_ENABLED=0 "$GO" build -pgo=off -trimpath -ldflags "$(k8s_version_ldflags "$K8S_VERSION")" -o "$w/out/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl \
      go.etcd.io/etcd/server/v3 go.universe.tf/metallb/controller go.universe.tf/metallb/speaker || exit 1
  ) || return 1
  # go build names a binary after its package's last path element (a major version suffix dropped).
  mv "$w/out/server" "$w/out/etcd" && mv "$w/out/controller" "$w/out/metallb-controller" &&
    mv "$w/out/speaker" "$w/out/metallb-speaker" || return 1
  local b
  for b in "${SHARED_BINARIES[@]}"; do mv "$w/out/$b" "$BIN/$b" || return 1; done
}
shared_present() {
  local b
  for b in "${SHARED_BINARIES[@]}"; do [[ -x "$BIN/$b" ]] || return 1; done
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

# kwok (its own module graph) builds beside the shared build, so that each fills the other's
# waits (module downloads, single-threaded links) on a machine with few cores.
kwok_pid=
if [[ -x "$BIN/kwok" ]]; then log "kwok: reusing"
else step "kwok v$KWOK_VERSION" build_kwok & kwok_pid=$!; fi
if shared_present; then log "kubernetes, etcd, metallb: reusing"
else step "kubernetes v$K8S_VERSION, etcd v$ETCD_VERSION, metallb v$METALLB_VERSION (one module with traefik v$TRAEFIK_VERSION)" build_shared; fi
[[ -z "$kwok_pid" ]] || wait "$kwok_pid" || die "kwok failed (see messages above)"
[[ -f "$CRDS/.complete" ]] && log "crds: reusing" || step "crds (metallb v$METALLB_VERSION, gateway-api v$GATEWAY_API_VERSION)" copy_crds

all_present || die "build finished but some binaries are missing in $BIN"
rm -rf "$WORK"
log "built everything in $((SECONDS - START_ALL))s into $OUT"
echo "$BIN"
