#!/usr/bin/env bash
# npm test: build, type-check and run every vitest project, with the test control plane
# built (cold: tens of minutes) or reused at the same time as the tests that do not need it.
#
#   1. scripts/cluster/build.sh, then the lab's binaries (scripts/lab/build.sh: kube-proxy,
#      Traefik), build in the background (their log: $TMPDIR/exposectl-cluster-build.<pid>.log,
#      printed when it is waited for).
#   2. Missing Debian packages are installed; the bundle is built, type-checked, linted and
#      format-checked (Biome), and its layers checked (dependency-cruiser).
#   3. The projects that need no control plane run: unit (except the files in NEEDS_KUBECTL),
#      cli, realworld, faults, e2e.
#   4. Once the build is done: integration, network, release and NEEDS_KUBECTL.
#   5. Then the lab project: every exposure mode end to end through one whole lab (docs/lab.md).
# Both vitest runs always run; the exit code is non-zero when the build or either run failed.
# Extra arguments go to both vitest runs (e.g. --reporter=verbose).
set -uo pipefail
cd "$(dirname "$0")/.."

# Unit test files that run kubectl from the control plane cache (they wait for the build).
NEEDS_KUBECTL=(test/unit/render/jsonpath-kubectl.test.ts)
log=${TMPDIR:-/tmp}/exposectl-cluster-build.$$.log

# In a session of its own, so that stopping npm test stops the Go compilers too.
setsid bash -c 'bash scripts/cluster/build.sh && bash scripts/lab/build.sh' >/dev/null 2>"$log" &
build_pid=$!
stop_build() { kill -- "-$build_pid" 2>/dev/null || true; }
trap stop_build EXIT
trap 'stop_build; exit 130' INT TERM

wait_build() {
  local rc=0
  wait "$build_pid" || rc=$?
  trap - EXIT
  cat "$log" >&2
  rm -f "$log"
  return "$rc"
}

status=0
if ! { bash .ci/system-packages.sh && npm run build && npm run typecheck && npm run lint && npm run lint:deps; }; then
  wait_build || true
  exit 1
fi

exclude=()
for f in "${NEEDS_KUBECTL[@]}"; do exclude+=(--exclude "$f"); done
echo "== vitest: unit, cli, realworld, faults, e2e (the control plane builds meanwhile) =="
npx vitest run --project unit --project cli --project realworld --project faults --project e2e "${exclude[@]}" "$@" || status=1

echo "== waiting for the control plane and lab builds =="
if ! wait_build; then
  echo "the control plane or lab build failed: integration, network, release, ${NEEDS_KUBECTL[*]} and lab did not run" >&2
  exit 1
fi
echo "== vitest: integration, network, release, ${NEEDS_KUBECTL[*]} =="
npx vitest run --project integration --project network --project release --project unit \
  test/integration/ test/network/ test/release/ "${NEEDS_KUBECTL[@]}" "$@" || status=1
# After the others: the lab is a whole cluster and data plane of its own.
echo "== vitest: lab (every mode through a real data plane) =="
npx vitest run --project lab "$@" || status=1
exit "$status"
