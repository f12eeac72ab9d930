#!/usr/bin/env bash
# npm test: type-check, every workspace's vitest suite (unit + integration on
# real PostgreSQL and Redis), then the workbench end to end in Debian's
# chromium against a real Tandem. Ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
reports="$(mktemp -d)"
status=0

echo "== type-check"
npx turbo run typecheck --output-logs=errors-only --log-prefix=none || status=1

echo "== unit and integration tests"
for ws in packages/platform subgraphs/* gateway packages/supervisor bench web; do
  [ -f "$ws/vitest.config.ts" ] || [ -f "$ws/vite.config.ts" ] || continue
  name="$(echo "$ws" | tr '/' '_')"
  (cd "$ws" && npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/$name.json") || status=1
done

echo "== end to end in chromium"
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
data="$(mktemp -d)"; chmod 755 "$data"
TANDEM_DATA_DIR="$data" PORT="$port" LOG_LEVEL=warn node packages/supervisor/dist/embedded-main.js > "$reports/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
if curl -sf "http://127.0.0.1:$port/health" >/dev/null; then
  (cd web && TANDEM_URL="http://localhost:$port" PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.playwright.json" npx playwright test --reporter=list,json) || status=1
else
  echo "tandem did not start for the end-to-end test:"; tail -50 "$reports/server.log"; status=1
fi
kill -INT "$server" 2>/dev/null; wait "$server" 2>/dev/null
rm -rf "$data"

node -e '
const fs = require("fs"); const dir = process.argv[1];
let passed = 0, failed = 0, skipped = 0;
for (const f of fs.readdirSync(dir)) {
  if (!f.endsWith(".json")) continue;
  const r = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
  if (f.endsWith(".playwright.json")) { passed += r.stats.expected; failed += r.stats.unexpected; skipped += r.stats.skipped; }
  else {
    passed += r.numPassedTests; skipped += r.numPendingTests + r.numTodoTests;
    // Failed tests, plus each file that failed with none of its tests failed (it did not load, or a hook threw):
    // numFailedTestSuites counts every failed describe block too, so it would count one failure twice.
    const silentFiles = (r.testResults || []).filter((t) => t.status === "failed" && !t.assertionResults.some((a) => a.status === "failed")).length;
    failed += r.numFailedTests + silentFiles + (r.success === false && r.numFailedTests + silentFiles === 0 ? 1 : 0);
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
process.exit(failed > 0 ? 1 : 0);
' "$reports" || status=1
rm -rf "$reports"
exit $status
