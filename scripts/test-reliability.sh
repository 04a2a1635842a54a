#!/usr/bin/env bash
# The reliability matrix (test/reliability): bad inputs, and faults against the real sandbox (brought up when it is
# not running), writing reports/reliability.json and docs/reliability.md. `npm test` runs the same files without
# writing the report.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash test/sandbox/up.sh >/dev/null
bash scripts/with-node24.sh node scripts/build.mjs
rm -rf reports/reliability reports/reliability.json
RELIABILITY_REPORT=1 bash scripts/with-node24.sh vitest run test/reliability "$@"
echo "report: docs/reliability.md"
