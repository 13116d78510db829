# Sourced by scripts/cluster/build.sh and scripts/lab/build.sh: what both builds share.
# Source scripts/cluster/versions.env and scripts/lab/versions.env first; set BUILD_TOOL (the
# log prefix) and call cache_dirs first (it sets WORK, the scratch folder).

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
  # The compilers collect garbage less often: about 5 % less CPU for a cold build, for a
  # few GB more memory at the peak (the output and the build cache keys do not change).
  export GOGC="${GOGC:-400}"
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

# The binaries built in one shared module (shared_module): those of the control plane
# (scripts/cluster/build.sh) and of the lab (scripts/lab/build.sh), as package@version.
# kwok is not among them: v0.7.0 does not compile against apimachinery v0.35
# (metav1.InitialEventsListBlueprintAnnotationKey is gone) and v0.8.0 asks for v0.36, so it
# keeps its own module graph.
shared_packages() {
  local k="k8s.io/kubernetes/cmd" v="v$K8S_VERSION"
  printf '%s\n' "$k/kube-apiserver@$v" "$k/kube-controller-manager@$v" "$k/kube-scheduler@$v" \
    "$k/kubectl@$v" "$k/kube-proxy@$v" "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" \
    "go.universe.tf/metallb/controller@v$METALLB_VERSION" "go.universe.tf/metallb/speaker@v$METALLB_VERSION" \
    "github.com/traefik/traefik/v3/cmd/traefik@v$TRAEFIK_VERSION"
}

# shared_graph_key: names the module graph of shared_module, for the cache keys of both builds.
shared_graph_key() {
  printf '%s' "k8s-$K8S_VERSION-etcd-$ETCD_VERSION-metallb-$METALLB_VERSION-traefik-$TRAEFIK_VERSION"
}

# shared_module DIR: makes DIR the one Go module in which the control plane and the lab are
# built: Kubernetes' wrapper (k8s_wrapper_module) requiring every shared_packages main, plus
# Traefik's replace and exclude directives (a dependency's directives only count in the main
# module). One module means one version of each dependency, so the Go build cache compiles
# client-go, grpc, protobuf and the rest once for all binaries instead of once per binary's
# own graph: a third less compiling from a cold cache (docs/development.md).
shared_module() {
  local w=$1 tdir flags pkgs
  k8s_wrapper_module "$w" "$K8S_VERSION" || return 1
  tdir=$(module_dir "github.com/traefik/traefik/v3@v$TRAEFIK_VERSION") || return 1
  flags=$(gomod_directive_flags "$tdir/go.mod") || return 1
  mapfile -t pkgs < <(shared_packages)
  # shellcheck disable=SC2086 # one go mod edit flag per word
  (cd "$w" && { [[ -z "$flags" ]] || "$GO" mod edit $flags; } && "$GO" get "${pkgs[@]}") || return 1
}

# gomod_directive_flags GOMOD: the replace and exclude directives of a go.mod as `go mod edit`
# flags (-replace=old[@v]=new@v, -exclude=path@v). A replacement by a local path cannot be
# carried over into another module: that fails, naming it.
gomod_directive_flags() {
  awk -v gomod="$1" '
    function fail(what) { printf "%s: cannot carry over %s\n", gomod, what > "/dev/stderr"; bad = 1 }
    { sub(/\/\/.*/, "") }
    /^(replace|exclude)[ \t]*\([ \t]*$/ { block = $1; next }
    block && /^[ \t]*\)[ \t]*$/ { block = ""; next }
    NF == 0 { next }
    {
      kind = block
      if (!block) { if ($1 != "replace" && $1 != "exclude") next; kind = $1; $1 = ""; $0 = $0 }
      if (kind == "exclude") { printf "-exclude=%s@%s\n", $1, $2; next }
      arrow = ($2 == "=>") ? 2 : 3
      old = (arrow == 3) ? $1 "@" $2 : $1
      if (NF != arrow + 2) { fail("replace " $0 " (a local path)"); next }
      printf "-replace=%s=%s@%s\n", old, $(arrow + 1), $(arrow + 2)
    }
    END { exit bad }' "$1"
}
