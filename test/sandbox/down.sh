#!/usr/bin/env bash
# Stop every sandbox service (idempotent). Keys, images, registry data and logs stay in .sandbox/ (removable; up.sh
# reuses them, so the next up is fast).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=services.sh
. "$here/services.sh"
# dockerd stops its containers with it; images, registry data, keys and logs stay.

[ -d "$SANDBOX_DIR" ] || { printf 'sandbox down: nothing to stop\n'; exit 0; }
sandbox_lock
# Stop in reverse order of start.
for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
  "down_${SERVICES[$i]}"
done
if [ -f "$SANDBOX_JSON" ] && [ "$(tr -d ' \n\t' <"$SANDBOX_JSON")" = '{}' ]; then rm -f "$SANDBOX_JSON"; fi
printf 'sandbox down: stopped %s\n' "${SERVICES[*]}"
