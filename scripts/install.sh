#!/usr/bin/env bash
# The one install line: system packages Tandem's tests and demo use (Debian's
# redis-server and chromium, when missing and we may install them), Node 22,
# and the npm dependencies exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tandem: installing ${need[*]} from Debian" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "tandem: please install ${need[*]} (Debian: apt-get install ${need[*]})" >&2
  fi
fi
source scripts/ensure-node.sh
# npm ci would insist on lock entries for other platforms' optional binaries (turbo,
# biome), which this registry does not serve; npm install honours the lock all the same.
npm install --no-audit --no-fund --loglevel=error
