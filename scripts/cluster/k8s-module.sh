# Sourced by scripts/cluster/build.sh and scripts/lab/build.sh (needs $GO).
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
