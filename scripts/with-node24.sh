#!/usr/bin/env bash
# Run a command with the project's Node 24 (the Actions runtime) first on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/node_modules/node/bin:$root/node_modules/.bin:$PATH"
exec "$@"
