#!/bin/sh
# GET / — busybox httpd runs /cgi-bin/index.cgi for a directory without index.html.
. /app/variant
printf 'Content-Type: application/json\r\n\r\n'
printf '{"app":"runbook-test-app","version":"%s","variant":"%s","hostname":"%s","port":%s,"path":"%s"}\n' \
  "$VERSION" "$VARIANT" "${HOSTNAME:-$(hostname)}" "${PORT:-8080}" "$REQUEST_URI"
