#!/usr/bin/env bash
# CRDs of systems exposectl reads whose definitions come from Go modules but are not part
# of the control-plane cache (scripts/cluster/build.sh): Istio's Gateway and VirtualService
# (networking.istio.io). Fetched once into a folder keyed by the module version.
#
#   bash scripts/cluster/crds-extra.sh              # fetch what is missing, print the folder
#   bash scripts/cluster/crds-extra.sh --print-dir  # only print the folder
#
# Output: ${EXPOSECTL_CRDS_EXTRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/crds-extra}/istio-<version>/
#   istio/{gateways,virtualservices}.networking.istio.io.yaml, .complete
# scripts/cluster/up.ts installs every subfolder's *.yaml.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/crds-extra.env
source "$HERE/crds-extra.env"
# shellcheck source=scripts/cluster/build-lib.sh
source "$HERE/build-lib.sh"
BUILD_TOOL=crds-extra

ROOT=${EXPOSECTL_CRDS_EXTRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/crds-extra}
OUT="$ROOT/istio-$ISTIO_MODULE_VERSION"
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

step "istio CRDs (istio.io/istio@$ISTIO_MODULE_VERSION)" fetch_istio
touch "$OUT/.complete"
rm -rf "$WORK"
echo "$OUT"
