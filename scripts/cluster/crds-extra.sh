#!/usr/bin/env bash
# CRDs of systems exposectl reads whose definitions come from Go modules but are not part
# of the control-plane cache (scripts/cluster/build.sh): Istio's Gateway and VirtualService
# (networking.istio.io) and external-dns's DNSEndpoint (externaldns.k8s.io). Fetched once
# into a folder keyed by the module versions.
#
#   bash scripts/cluster/crds-extra.sh              # fetch what is missing, print the folder
#   bash scripts/cluster/crds-extra.sh --print-dir  # only print the folder
#
# Output: ${EXPOSECTL_CRDS_EXTRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/crds-extra}/istio-<version>-external-dns-<version>/
#   istio/{gateways,virtualservices}.networking.istio.io.yaml,
#   external-dns/dnsendpoints.externaldns.k8s.io.yaml, .complete
# scripts/cluster/up.ts installs every subfolder's *.yaml.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/crds-extra.env
source "$HERE/crds-extra.env"
# shellcheck source=scripts/cluster/build-lib.sh
source "$HERE/build-lib.sh"
BUILD_TOOL=crds-extra

ROOT=${EXPOSECTL_CRDS_EXTRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/crds-extra}
OUT="$ROOT/istio-$ISTIO_MODULE_VERSION-external-dns-$EXTERNAL_DNS_MODULE_VERSION"
if [[ "${1:-}" == "--print-dir" ]]; then echo "$OUT"; exit 0; fi
if [[ -f "$OUT/.complete" ]]; then echo "$OUT"; exit 0; fi

go_prerequisites
WORK="$ROOT/work"
mkdir -p "$OUT" "$WORK"
lock_build "$ROOT"
if [[ -f "$OUT/.complete" ]]; then echo "$OUT"; exit 0; fi

# pick_crds FILE NAME...: the CustomResourceDefinition documents of FILE named NAME, one file each.
pick_crds() {
  local file=$1; shift
  local name
  for name in "$@"; do
    awk -v want="$name" '
      /^---/ { if (doc != "" && hit) printf "%s", doc; doc = ""; hit = 0; next }
      { doc = doc $0 "\n"; if ($0 ~ "^  name: " want "$") hit = 1 }
      END { if (doc != "" && hit) printf "%s", doc }
    ' "$file" >"$OUT/istio/$name.yaml"
    grep -q '^kind: CustomResourceDefinition' "$OUT/istio/$name.yaml" || { log "no CRD $name in $file"; return 1; }
  done
}

fetch_istio() {
  local dir
  dir=$(module_dir "istio.io/istio@$ISTIO_MODULE_VERSION") || return 1
  rm -rf "$OUT/istio"; mkdir -p "$OUT/istio"
  pick_crds "$dir/manifests/charts/base/files/crd-all.gen.yaml" gateways.networking.istio.io virtualservices.networking.istio.io
}

# module_zip MODULE@VERSION: the module's zip in the Go module cache (downloaded if missing).
# `go mod download` fills the cache before it checks the module's go directive, so the zip
# is there even when it refuses the module for a newer Go (external-dns v0.23.0: go 1.27).
module_zip() {
  local mv=$1 json zip
  json=$(cd "$WORK" && "$GO" mod download -json "$mv" 2>&1) || true
  zip=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Zip": "\(.*\)",*$/\1/p')
  [[ -n "$zip" && -f "$zip" ]] || { log "Go module $mv: no zip downloaded:
$json"; return 1; }
  printf '%s\n' "$zip"
}

fetch_external_dns() {
  local zip name=dnsendpoints.externaldns.k8s.io.yaml
  local mv="sigs.k8s.io/external-dns@$EXTERNAL_DNS_MODULE_VERSION"
  zip=$(module_zip "$mv") || return 1
  rm -rf "$OUT/external-dns"; mkdir -p "$OUT/external-dns"
  unzip -p "$zip" "$mv/config/crd/standard/$name" >"$OUT/external-dns/$name" || { log "no $name in $zip"; return 1; }
  grep -q '^kind: CustomResourceDefinition' "$OUT/external-dns/$name" || { log "no CRD in $name of $zip"; return 1; }
}

step "istio CRDs (istio.io/istio@$ISTIO_MODULE_VERSION)" fetch_istio
step "external-dns CRD (sigs.k8s.io/external-dns@$EXTERNAL_DNS_MODULE_VERSION)" fetch_external_dns
touch "$OUT/.complete"
rm -rf "$WORK"
echo "$OUT"
