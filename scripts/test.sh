#!/usr/bin/env bash
# npm test: build, type-check and run every vitest project, with the Go builds (cold: tens of
# CPU-minutes) running beside the tests that do not need them. Timing model: docs/development.md.
#
#   1. In the background, at low priority (nice): scripts/cluster/build.sh (the control plane),
#      then scripts/lab/build.sh (the lab's kube-proxy and Traefik). Their log:
#      $TMPDIR/exposectl-build.<pid>/build.log, printed when the control plane is waited for.
#   2. Missing Debian packages are installed and the bundle is built.
#   3. The network tests that need no control plane start in a vitest run of their own (they
#      mostly wait: BGP examples listen for their --duration); its output is printed when it ends.
#   4. Type-check, lint, format check (Biome), layers (dependency-cruiser); then the projects
#      that need no control plane and have timing in them: cli, realworld, faults, e2e.
#   5. Once the control plane is built (the lab binaries may still be building): integration,
#      and beside it in a run of its own (they need no shared cluster, and integration mostly
#      waits on its API server): release, NEEDS_KUBECTL and the network files in NEEDS_CLUSTER.
#   6. Once the lab binaries are built: the lab project (every exposure mode through one lab),
#      and beside it, niced, the unit project (except NEEDS_KUBECTL): pure functions, all CPU
#      and no timing, in the time the lab mostly waits on its data plane. When a build fails,
#      unit runs on its own before the exit.
# Every vitest run always runs; the exit code is non-zero when a build or any run failed.
# Extra arguments go to every vitest run (e.g. --reporter=verbose).
set -uo pipefail
cd "$(dirname "$0")/.."

# Unit test files that run kubectl from the control plane cache (they wait for the build).
NEEDS_KUBECTL=(test/unit/render/jsonpath-kubectl.test.ts)
# Network test files that need a control plane (the others run while it builds).
NEEDS_CLUSTER=(test/network/diagnose/probe-source-ip.test.ts)
# The unit project's run (without NEEDS_KUBECTL).
unit_args=(--project unit)
for f in "${NEEDS_KUBECTL[@]}"; do unit_args+=(--exclude "$f"); done
unit_args+=("$@")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/exposectl-build.XXXXXX")
log=$tmp/build.log
# Written by the background build when the control plane is done: its exit code.
cp_rc=$tmp/controlplane.rc

# In a session of its own, so that stopping npm test stops the Go compilers too. nice: the
# tests that run meanwhile get the CPU first (fewer timing surprises); the build takes the rest.
setsid nice -n 10 bash -c '
  bash scripts/cluster/build.sh; rc=$?
  echo "$rc" >"$1"
  [[ $rc == 0 ]] && bash scripts/lab/build.sh' build "$cp_rc" >/dev/null 2>>"$log" &
build_pid=$!
# One vitest run at a time goes beside the foreground one: start_beside CMD... starts it in a
# session of its own (so that an interrupted npm test stops it, and its namespaces' processes,
# too), its output kept in $tmp/beside.log; finish_beside waits for it, prints that output and
# returns its exit code.
beside_pid=
start_beside() { setsid "$@" >"$tmp/beside.log" 2>&1 & beside_pid=$!; }
finish_beside() {
  local rc=0
  wait "$beside_pid" || rc=$?
  beside_pid=
  cat "$tmp/beside.log"
  return "$rc"
}
stop_all() {
  local pid
  for pid in "$build_pid" $beside_pid; do kill -- "-$pid" 2>/dev/null; done
  rm -rf "$tmp"
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

# wait_controlplane: returns the control plane build's exit code (the lab build may go on).
wait_controlplane() {
  while [[ ! -s "$cp_rc" ]] && kill -0 "$build_pid" 2>/dev/null; do sleep 2; done
  cat "$log" >&2
  : >"$log"
  [[ -s "$cp_rc" && $(cat "$cp_rc") == 0 ]]
}
# unit_alone WHY: when a build failed, the unit project still runs (on its own), then npm test fails.
unit_alone() {
  echo "$1" >&2
  echo "== vitest: unit =="
  npx vitest run "${unit_args[@]}"
  exit 1
}
# wait_lab: the exit code of the lab build (after the control plane's).
wait_lab() {
  local rc=0
  wait "$build_pid" || rc=$?
  cat "$log" >&2
  return "$rc"
}

status=0
if ! { bash .ci/system-packages.sh && npm run build; }; then exit 1; fi

exclude=()
for f in "${NEEDS_CLUSTER[@]}"; do exclude+=(--exclude "$f"); done
echo "== vitest (background): network without a control plane; output follows the next run =="
start_beside npx vitest run --project network "${exclude[@]}" "$@"

if ! { npm run typecheck && npm run lint && npm run lint:deps; }; then exit 1; fi

echo "== vitest: cli, realworld, faults, e2e (the control plane builds meanwhile) =="
npx vitest run --project cli --project realworld --project faults --project e2e "$@" || status=1

echo "== vitest: network without a control plane (ran beside the previous run) =="
finish_beside || status=1

echo "== waiting for the control plane build =="
wait_controlplane ||
  unit_alone "the control plane build failed: integration, release, ${NEEDS_KUBECTL[*]}, ${NEEDS_CLUSTER[*]} and lab did not run"
echo "== vitest (background): release, ${NEEDS_KUBECTL[*]}, ${NEEDS_CLUSTER[*]}; output follows the next run =="
start_beside npx vitest run --project release --project unit --project network \
  test/release/ "${NEEDS_KUBECTL[@]}" "${NEEDS_CLUSTER[@]}" "$@"
echo "== vitest: integration (the lab binaries build meanwhile) =="
npx vitest run --project integration "$@" || status=1
echo "== vitest: release, ${NEEDS_KUBECTL[*]}, ${NEEDS_CLUSTER[*]} (ran beside the previous run) =="
finish_beside || status=1

echo "== waiting for the lab build =="
wait_lab || unit_alone "the lab build failed: the lab project did not run"
echo "== vitest (background, niced): unit; output follows the lab's =="
start_beside nice -n 10 npx vitest run "${unit_args[@]}"
# After the others: the lab is a whole cluster and data plane of its own.
echo "== vitest: lab (every mode through a real data plane) =="
npx vitest run --project lab "$@" || status=1
echo "== vitest: unit (ran beside the lab) =="
finish_beside || status=1
exit "$status"
