#!/usr/bin/env bash
# The whole test suite: lint, types, unit tests, and integration tests against the real sandbox servers.
# Brings the sandbox up when it is not running, and stops it afterwards if it started it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
run() { bash scripts/with-node24.sh "$@"; }

started=0
if ! bash test/sandbox/up.sh --check >/dev/null 2>&1; then
  bash test/sandbox/up.sh
  started=1
fi
cleanup() { if [ "$started" = 1 ]; then bash test/sandbox/down.sh >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

echo "== lint"; run biome check --error-on-warnings src test scripts bench
echo "== types"; run tsc --noEmit -p .
echo "== build (integration tests run the bundles the way the Actions runner does)"; run node scripts/build.mjs
echo "== tests (unit + integration)"
results="$(mktemp)"
set +e
run vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@"
code=$?
set -e
summary="$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (skipped) { console.error("skipped tests are not allowed: a skipped test is not a passing one"); process.exit(1); }
' "$results")" || code=1
rm -f "$results"
cleanup
trap - EXIT
# The closing line CI reads: "N passed, N failed".
echo "$summary"
exit "$code"
