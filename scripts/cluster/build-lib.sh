# Sourced by scripts/cluster/build.sh and scripts/lab/build.sh: what both builds share.
# Set BUILD_TOOL (the log prefix) and call cache_dirs first (it sets WORK, the scratch folder).

# cache_dirs KEY: sets CACHE_ROOT (shared by every build, outside the repo), OUT=$CACHE_ROOT/KEY,
# BIN=$OUT/bin and WORK=$OUT/work.
cache_dirs() {
  CACHE_ROOT=${EXPOSECTL_CONTROLPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/controlplane}
  OUT="$CACHE_ROOT/$1"
  BIN="$OUT/bin"
  WORK="$OUT/work"
}

log() { printf '[%s %s] %s\n' "$BUILD_TOOL" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# go_prerequisites: finds the Go toolchain (sets GO), checks flock, and fixes the Go environment.
go_prerequisites() {
  GO=${GO:-}
  if [[ -z "$GO" ]]; then
    if command -v go >/dev/null 2>&1; then GO=$(command -v go)
    elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go
    else die "missing prerequisite: the 'go' toolchain (not on PATH, not in /usr/local/go/bin). Install Go >= 1.26 or set GO=/path/to/go."; fi
  fi
  "$GO" version >/dev/null 2>&1 || die "missing prerequisite: '$GO' does not run"
  log "using $("$GO" version) ($GO)"
  command -v flock >/dev/null 2>&1 || die "missing prerequisite: flock (Debian package util-linux)"
  export GOTOOLCHAIN=local   # never fetch another Go toolchain behind our back
  export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
  export GOSUMDB="${GOSUMDB:-sum.golang.org}"
}

# lock_build DIR: two builds at once (two test runs) must not trample each other (fd 9, held until exit).
lock_build() {
  exec 9>"$1/.build.lock"
  if ! flock -n 9; then
    log "another build holds $1/.build.lock; waiting for it"
    flock 9
  fi
}

# step NAME command...: runs with timing, dies naming the step on failure.
# (Inside `if ! cmd`, bash ignores `set -e`: the build functions check every command themselves.)
step() {
  local name=$1; shift
  local t0=$SECONDS
  log "$name: start"
  if ! "$@"; then die "$name failed (see messages above)"; fi
  log "$name: done in $((SECONDS - t0))s"
}

# module_dir MODULE@VERSION: prints the module's directory (downloading it), or fails naming it.
module_dir() {
  local mv=$1 json dir
  if ! json=$(cd "$WORK" && "$GO" mod download -json "$mv" 2>&1); then
    die "Go module $mv could not be downloaded (not served by GOPROXY=$("$GO" env GOPROXY)?):
$json"
  fi
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
  [[ -n "$dir" && -d "$dir" ]] || die "Go module $mv: no directory in 'go mod download' output:
$json"
  printf '%s\n' "$dir"
}

# k8s_wrapper_module DIR VERSION: makes DIR a Go module that requires k8s.io/kubernetes@vVERSION
# with every staging module k8s.io/<name> v0.0.0 mapped to its published v0.<minor>.<patch>,
# and the GODEBUG default of Kubernetes' own go.mod. Returns non-zero (after naming the
# problem on stderr) when the proxy does not serve the module.
k8s_wrapper_module() {
  local w=$1 v=$2 gomod
  gomod=$(cd "$w" && "$GO" mod download -json "k8s.io/kubernetes@v$v" 2>&1 | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p') || true
  if [[ -z "$gomod" || ! -f "$gomod" ]]; then
    echo "Go module k8s.io/kubernetes@v$v is not served by GOPROXY=$("$GO" env GOPROXY) (try: go list -m -versions k8s.io/kubernetes)" >&2
    return 1
  fi
  (
    cd "$w" || exit 1
    "$GO" mod init local/k8sbin >/dev/null 2>&1 || exit 1
    local m
    for m in $(grep -oE '^[[:space:]]+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$gomod" | awk '{print $1}'); do
      "$GO" mod edit -replace="$m=$m@v0.${v#1.}" || exit 1
    done
    "$GO" mod edit -require="k8s.io/kubernetes@v$v" || exit 1
    local gd
    gd=$(sed -n 's/^godebug default=\(go[0-9.]*\)$/\1/p' "$gomod" | head -1)
    "$GO" mod edit -godebug="default=${gd:-go1.25}" || exit 1
  )
}

# k8s_version_ldflags VERSION: the -ldflags that make `--version` say vVERSION.
k8s_version_ldflags() {
  local v=$1 minor X="-X k8s.io/component-base/version" C="-X k8s.io/client-go/pkg/version"
  minor=${v#1.}; minor=${minor%%.*}
  printf '%s' "-s -w $X.gitVersion=v$v $X.gitMajor=1 $X.gitMinor=$minor $X.gitTreeState=clean $X.buildDate=1970-01-01T00:00:00Z $C.gitVersion=v$v $C.gitMajor=1 $C.gitMinor=$minor $C.gitTreeState=clean"
}
