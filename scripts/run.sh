#!/usr/bin/env bash
# What the root npm scripts call: puts Node 22 on PATH, builds what is stale
# (turbo caches the rest), then runs the requested thing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
[ -d node_modules ] || npm install --no-audit --no-fund --loglevel=error
build() { npx turbo run build --output-logs=errors-only --log-prefix=none; }
# Node 22's AsyncLocalStorage (MikroORM's request and transaction contexts, the request id) rides on async_hooks,
# whose promise hooks tax every promise; async context frames, Node 24's default, carry the same stores without
# them: about a fifth less CPU per decision, measured. A young generation of 64 MB semi-spaces (Node 22: 16 MB)
# lets a request's garbage die young instead of being copied and promoted: the collector's share of the server's busy
# time at 300 decisions/s fell from 10.3% to 3.6%, for up to ~100 MB more memory per process.
# Everything started from here (and its children) inherits both.
export NODE_OPTIONS="--experimental-async-context-frame --max-semi-space-size=64${NODE_OPTIONS:+ $NODE_OPTIONS}"
case "${1:-}" in
  # A person at a terminal wants the banner and warnings, not every request: LOG_LEVEL=info for all.
  start) build; LOG_LEVEL="${LOG_LEVEL:-warn}" exec node --enable-source-maps packages/supervisor/dist/embedded-main.js ;;
  start:cluster) build; exec node --enable-source-maps packages/supervisor/dist/cluster-main.js ;;
  compose) npx turbo run build --filter=@tandem/supervisor... --output-logs=errors-only; exec node packages/supervisor/dist/compose-main.js ;;
  bench) build; LOG_LEVEL="${LOG_LEVEL:-warn}" exec node --enable-source-maps bench/dist/main.js "${@:2}" ;;
  test) build; exec bash scripts/test-all.sh ;;
  *) echo "usage: scripts/run.sh start|start:cluster|compose|bench|test" >&2; exit 2 ;;
esac
