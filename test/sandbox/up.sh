#!/usr/bin/env bash
# Start the local test sandbox (idempotent): each service's facts land in .sandbox/sandbox.json.
# Usage: bash test/sandbox/up.sh            Stop with: bash test/sandbox/down.sh
#        bash test/sandbox/up.sh --check    exit 0 when every service is already up, 1 otherwise (starts nothing)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=services.sh
. "$here/services.sh"

if [ "${1:-}" = --check ]; then
  for service in "${SERVICES[@]}"; do "check_$service" || exit 1; done
  exit 0
fi

require_traversable
sandbox_lock
# Missing Debian packages of every service in one apt-get run (services that define packages_<service>).
missing=()
for service in "${SERVICES[@]}"; do
  if declare -F "packages_$service" >/dev/null; then mapfile -t -O "${#missing[@]}" missing < <("packages_$service"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u); fi
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

SANDBOX_SUMMARY=()
for service in "${SERVICES[@]}"; do
  "up_$service"
done
summary=$(IFS=';'; printf '%s' "${SANDBOX_SUMMARY[*]}")
printf 'sandbox up: %s — %s\n' "${summary//;/, }" "${SANDBOX_JSON#"$SANDBOX_ROOT"/}"
