#!/usr/bin/env bash
# Debian packages the tests use (real peers and config checkers). Installs only what is missing.
set -euo pipefail
want=(iproute2 arping tcpdump bird2 gobgpd haproxy nginx-light libnginx-mod-stream iptables nftables curl procps graphviz chromium openssl man-db time util-linux)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packaged daemons must not run as services here: tests start their own.
  for s in haproxy nginx bird; do systemctl disable --now "$s" >/dev/null 2>&1 || service "$s" stop >/dev/null 2>&1 || true; done
fi
