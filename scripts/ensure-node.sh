#!/usr/bin/env bash
# Puts Node >= 22.17 on PATH. Machines here ship Node 20, which MikroORM 7 and
# vitest 5 refuse; rather than ask for a system install, we fetch the `node`
# package from the npm registry into .toolchain/ once and reuse it.
# Usage: source scripts/ensure-node.sh   (or run it to just install)
_tandem_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tandem_need_major=22
_tandem_need_minor=17
_tandem_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local v; v="$(node -p 'process.versions.node' 2>/dev/null)" || return 1
  local major="${v%%.*}" rest="${v#*.}"; local minor="${rest%%.*}"
  [ "$major" -gt "$_tandem_need_major" ] || { [ "$major" -eq "$_tandem_need_major" ] && [ "$minor" -ge "$_tandem_need_minor" ]; }
}
if ! _tandem_ok; then
  _tandem_bin="$_tandem_root/.toolchain/node_modules/node/bin"
  if [ ! -x "$_tandem_bin/node" ]; then
    echo "tandem: installing Node 22 into .toolchain/ (system node is $(node --version 2>/dev/null || echo missing))" >&2
    mkdir -p "$_tandem_root/.toolchain"
    (cd "$_tandem_root/.toolchain" && [ -f package.json ] || echo '{"private":true}' > package.json)
    (cd "$_tandem_root/.toolchain" && npm install --no-save --no-audit --no-fund --loglevel=error node@22 >&2) || { echo "tandem: npm install node@22 failed" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_tandem_bin:$PATH"
  _tandem_ok || { echo "tandem: could not provide Node >= 22.17" >&2; return 1 2>/dev/null || exit 1; }
fi
unset -f _tandem_ok
